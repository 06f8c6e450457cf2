# Empty dependencies file for test_exact.
# This may be replaced when dependencies are built.
