# Empty dependencies file for test_master.
# This may be replaced when dependencies are built.
