# Empty compiler generated dependencies file for test_fokker_planck.
# This may be replaced when dependencies are built.
