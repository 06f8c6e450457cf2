# Empty compiler generated dependencies file for test_rpassage.
# This may be replaced when dependencies are built.
