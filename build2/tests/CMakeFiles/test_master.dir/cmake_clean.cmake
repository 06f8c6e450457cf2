file(REMOVE_RECURSE
  "CMakeFiles/test_master.dir/test_master.c.o"
  "CMakeFiles/test_master.dir/test_master.c.o.d"
  "test_master"
  "test_master.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_master.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
