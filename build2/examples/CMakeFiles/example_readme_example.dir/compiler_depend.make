# Empty compiler generated dependencies file for example_readme_example.
# This may be replaced when dependencies are built.
