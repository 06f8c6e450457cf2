# Empty dependencies file for test_network_dg.
# This may be replaced when dependencies are built.
