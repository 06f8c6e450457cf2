file(REMOVE_RECURSE
  "CMakeFiles/example_readme_example.dir/readme_example.c.o"
  "CMakeFiles/example_readme_example.dir/readme_example.c.o.d"
  "example_readme_example"
  "example_readme_example.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/example_readme_example.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
