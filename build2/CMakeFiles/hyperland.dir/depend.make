# Empty dependencies file for hyperland.
# This may be replaced when dependencies are built.
