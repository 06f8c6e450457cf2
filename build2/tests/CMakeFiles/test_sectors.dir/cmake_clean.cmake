file(REMOVE_RECURSE
  "CMakeFiles/test_sectors.dir/test_sectors.c.o"
  "CMakeFiles/test_sectors.dir/test_sectors.c.o.d"
  "test_sectors"
  "test_sectors.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_sectors.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
