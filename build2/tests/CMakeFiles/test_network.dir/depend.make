# Empty dependencies file for test_network.
# This may be replaced when dependencies are built.
