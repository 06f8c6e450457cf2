file(REMOVE_RECURSE
  "CMakeFiles/test_network.dir/test_network.c.o"
  "CMakeFiles/test_network.dir/test_network.c.o.d"
  "test_network"
  "test_network.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_network.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
