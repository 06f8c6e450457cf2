file(REMOVE_RECURSE
  "CMakeFiles/test_gridchain.dir/test_gridchain.c.o"
  "CMakeFiles/test_gridchain.dir/test_gridchain.c.o.d"
  "test_gridchain"
  "test_gridchain.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_gridchain.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
