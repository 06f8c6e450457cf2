# Empty compiler generated dependencies file for example_paper_numbers.
# This may be replaced when dependencies are built.
