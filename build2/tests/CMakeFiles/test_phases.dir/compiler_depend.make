# Empty compiler generated dependencies file for test_phases.
# This may be replaced when dependencies are built.
