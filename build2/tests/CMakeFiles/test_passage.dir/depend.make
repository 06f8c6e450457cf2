# Empty dependencies file for test_passage.
# This may be replaced when dependencies are built.
