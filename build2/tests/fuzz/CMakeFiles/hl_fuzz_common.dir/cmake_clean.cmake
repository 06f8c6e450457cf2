file(REMOVE_RECURSE
  "CMakeFiles/hl_fuzz_common.dir/fuzz.c.o"
  "CMakeFiles/hl_fuzz_common.dir/fuzz.c.o.d"
  "libhl_fuzz_common.a"
  "libhl_fuzz_common.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/hl_fuzz_common.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
