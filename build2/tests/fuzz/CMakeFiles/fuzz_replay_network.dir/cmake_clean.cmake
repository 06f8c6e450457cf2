file(REMOVE_RECURSE
  "CMakeFiles/fuzz_replay_network.dir/fuzz_network.c.o"
  "CMakeFiles/fuzz_replay_network.dir/fuzz_network.c.o.d"
  "CMakeFiles/fuzz_replay_network.dir/replay.c.o"
  "CMakeFiles/fuzz_replay_network.dir/replay.c.o.d"
  "fuzz_replay_network"
  "fuzz_replay_network.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fuzz_replay_network.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
