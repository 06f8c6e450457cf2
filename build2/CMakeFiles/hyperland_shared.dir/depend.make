# Empty dependencies file for hyperland_shared.
# This may be replaced when dependencies are built.
