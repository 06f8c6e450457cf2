file(REMOVE_RECURSE
  "CMakeFiles/fuzz_replay_expr.dir/fuzz_expr.c.o"
  "CMakeFiles/fuzz_replay_expr.dir/fuzz_expr.c.o.d"
  "CMakeFiles/fuzz_replay_expr.dir/replay.c.o"
  "CMakeFiles/fuzz_replay_expr.dir/replay.c.o.d"
  "fuzz_replay_expr"
  "fuzz_replay_expr.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/fuzz_replay_expr.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
