# Empty compiler generated dependencies file for test_formula.
# This may be replaced when dependencies are built.
