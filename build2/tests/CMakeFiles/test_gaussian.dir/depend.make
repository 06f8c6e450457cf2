# Empty dependencies file for test_gaussian.
# This may be replaced when dependencies are built.
