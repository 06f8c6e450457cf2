file(REMOVE_RECURSE
  "CMakeFiles/test_exact_large.dir/test_exact_large.c.o"
  "CMakeFiles/test_exact_large.dir/test_exact_large.c.o.d"
  "test_exact_large"
  "test_exact_large.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_exact_large.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
