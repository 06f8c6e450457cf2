file(REMOVE_RECURSE
  "CMakeFiles/test_phases.dir/test_phases.c.o"
  "CMakeFiles/test_phases.dir/test_phases.c.o.d"
  "test_phases"
  "test_phases.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_phases.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
