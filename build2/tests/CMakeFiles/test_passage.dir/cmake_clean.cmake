file(REMOVE_RECURSE
  "CMakeFiles/test_passage.dir/test_passage.c.o"
  "CMakeFiles/test_passage.dir/test_passage.c.o.d"
  "test_passage"
  "test_passage.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_passage.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
