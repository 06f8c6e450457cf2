file(REMOVE_RECURSE
  "CMakeFiles/test_general_spectrum.dir/test_general_spectrum.c.o"
  "CMakeFiles/test_general_spectrum.dir/test_general_spectrum.c.o.d"
  "test_general_spectrum"
  "test_general_spectrum.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_general_spectrum.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
