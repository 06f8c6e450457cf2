file(REMOVE_RECURSE
  "CMakeFiles/test_network_dg.dir/test_network_dg.c.o"
  "CMakeFiles/test_network_dg.dir/test_network_dg.c.o.d"
  "test_network_dg"
  "test_network_dg.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_network_dg.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
