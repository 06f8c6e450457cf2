file(REMOVE_RECURSE
  "CMakeFiles/fuzz_replay_start.dir/fuzz_start.c.o"
  "CMakeFiles/fuzz_replay_start.dir/fuzz_start.c.o.d"
  "CMakeFiles/fuzz_replay_start.dir/replay.c.o"
  "CMakeFiles/fuzz_replay_start.dir/replay.c.o.d"
  "fuzz_replay_start"
  "fuzz_replay_start.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fuzz_replay_start.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
