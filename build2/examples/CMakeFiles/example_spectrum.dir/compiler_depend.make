# Empty compiler generated dependencies file for example_spectrum.
# This may be replaced when dependencies are built.
