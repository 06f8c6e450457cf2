file(REMOVE_RECURSE
  "CMakeFiles/test_formula.dir/test_formula.c.o"
  "CMakeFiles/test_formula.dir/test_formula.c.o.d"
  "test_formula"
  "test_formula.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_formula.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
