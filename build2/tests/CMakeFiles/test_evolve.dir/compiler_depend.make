# Empty compiler generated dependencies file for test_evolve.
# This may be replaced when dependencies are built.
