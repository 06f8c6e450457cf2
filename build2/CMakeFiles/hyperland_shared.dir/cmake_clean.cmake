file(REMOVE_RECURSE
  "CMakeFiles/hyperland_shared.dir/generated/hl_shared.c.o"
  "CMakeFiles/hyperland_shared.dir/generated/hl_shared.c.o.d"
  "generated/hyperland.map"
  "libhyperland.pdb"
  "libhyperland.so"
  "libhyperland.so.0"
  "libhyperland.so.0.1.0"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/hyperland_shared.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
