# Empty compiler generated dependencies file for test_general_spectrum.
# This may be replaced when dependencies are built.
