# Empty dependencies file for test_rates.
# This may be replaced when dependencies are built.
