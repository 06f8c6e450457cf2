file(REMOVE_RECURSE
  "CMakeFiles/example_paper_numbers.dir/paper_numbers.c.o"
  "CMakeFiles/example_paper_numbers.dir/paper_numbers.c.o.d"
  "example_paper_numbers"
  "example_paper_numbers.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/example_paper_numbers.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
