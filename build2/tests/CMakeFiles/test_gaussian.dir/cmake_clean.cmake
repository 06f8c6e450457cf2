file(REMOVE_RECURSE
  "CMakeFiles/test_gaussian.dir/test_gaussian.c.o"
  "CMakeFiles/test_gaussian.dir/test_gaussian.c.o.d"
  "test_gaussian"
  "test_gaussian.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_gaussian.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
