# Empty compiler generated dependencies file for test_gridchain.
# This may be replaced when dependencies are built.
