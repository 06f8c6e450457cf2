# Empty compiler generated dependencies file for test_exact_large.
# This may be replaced when dependencies are built.
