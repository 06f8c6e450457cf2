file(REMOVE_RECURSE
  "CMakeFiles/fuzz_replay_phi.dir/fuzz_phi.c.o"
  "CMakeFiles/fuzz_replay_phi.dir/fuzz_phi.c.o.d"
  "CMakeFiles/fuzz_replay_phi.dir/replay.c.o"
  "CMakeFiles/fuzz_replay_phi.dir/replay.c.o.d"
  "fuzz_replay_phi"
  "fuzz_replay_phi.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fuzz_replay_phi.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
