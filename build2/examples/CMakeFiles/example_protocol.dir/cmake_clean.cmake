file(REMOVE_RECURSE
  "CMakeFiles/example_protocol.dir/protocol.c.o"
  "CMakeFiles/example_protocol.dir/protocol.c.o.d"
  "example_protocol"
  "example_protocol.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/example_protocol.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
