file(REMOVE_RECURSE
  "CMakeFiles/fuzz_replay_transmission.dir/fuzz_transmission.c.o"
  "CMakeFiles/fuzz_replay_transmission.dir/fuzz_transmission.c.o.d"
  "CMakeFiles/fuzz_replay_transmission.dir/replay.c.o"
  "CMakeFiles/fuzz_replay_transmission.dir/replay.c.o.d"
  "fuzz_replay_transmission"
  "fuzz_replay_transmission.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fuzz_replay_transmission.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
