file(REMOVE_RECURSE
  "CMakeFiles/test_rchain.dir/test_rchain.c.o"
  "CMakeFiles/test_rchain.dir/test_rchain.c.o.d"
  "test_rchain"
  "test_rchain.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_rchain.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
