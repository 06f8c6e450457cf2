file(REMOVE_RECURSE
  "CMakeFiles/fuzz_replay_options.dir/fuzz_options.c.o"
  "CMakeFiles/fuzz_replay_options.dir/fuzz_options.c.o.d"
  "CMakeFiles/fuzz_replay_options.dir/replay.c.o"
  "CMakeFiles/fuzz_replay_options.dir/replay.c.o.d"
  "fuzz_replay_options"
  "fuzz_replay_options.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fuzz_replay_options.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
