# Empty dependencies file for test_sectors.
# This may be replaced when dependencies are built.
