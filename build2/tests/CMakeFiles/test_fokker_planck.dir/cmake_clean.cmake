file(REMOVE_RECURSE
  "CMakeFiles/test_fokker_planck.dir/test_fokker_planck.c.o"
  "CMakeFiles/test_fokker_planck.dir/test_fokker_planck.c.o.d"
  "test_fokker_planck"
  "test_fokker_planck.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_fokker_planck.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
