file(REMOVE_RECURSE
  "CMakeFiles/test_output.dir/test_output.c.o"
  "CMakeFiles/test_output.dir/test_output.c.o.d"
  "test_output"
  "test_output.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_output.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
