# Empty dependencies file for hyperland_cli.
# This may be replaced when dependencies are built.
