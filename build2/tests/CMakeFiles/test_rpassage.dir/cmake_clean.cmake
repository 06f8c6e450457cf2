file(REMOVE_RECURSE
  "CMakeFiles/test_rpassage.dir/test_rpassage.c.o"
  "CMakeFiles/test_rpassage.dir/test_rpassage.c.o.d"
  "test_rpassage"
  "test_rpassage.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_rpassage.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
