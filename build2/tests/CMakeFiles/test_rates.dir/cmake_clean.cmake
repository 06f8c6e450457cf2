file(REMOVE_RECURSE
  "CMakeFiles/test_rates.dir/test_rates.c.o"
  "CMakeFiles/test_rates.dir/test_rates.c.o.d"
  "test_rates"
  "test_rates.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_rates.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
