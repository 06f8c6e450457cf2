file(REMOVE_RECURSE
  "CMakeFiles/fuzz_replay_protocol.dir/fuzz_protocol.c.o"
  "CMakeFiles/fuzz_replay_protocol.dir/fuzz_protocol.c.o.d"
  "CMakeFiles/fuzz_replay_protocol.dir/replay.c.o"
  "CMakeFiles/fuzz_replay_protocol.dir/replay.c.o.d"
  "fuzz_replay_protocol"
  "fuzz_replay_protocol.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fuzz_replay_protocol.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
