# Empty dependencies file for test_rchain.
# This may be replaced when dependencies are built.
