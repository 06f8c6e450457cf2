file(REMOVE_RECURSE
  "CMakeFiles/example_spectrum.dir/spectrum.c.o"
  "CMakeFiles/example_spectrum.dir/spectrum.c.o.d"
  "example_spectrum"
  "example_spectrum.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/example_spectrum.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
