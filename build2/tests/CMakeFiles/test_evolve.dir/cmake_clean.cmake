file(REMOVE_RECURSE
  "CMakeFiles/test_evolve.dir/test_evolve.c.o"
  "CMakeFiles/test_evolve.dir/test_evolve.c.o.d"
  "test_evolve"
  "test_evolve.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_evolve.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
