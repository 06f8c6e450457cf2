file(REMOVE_RECURSE
  "CMakeFiles/bench_evolve.dir/bench_evolve.c.o"
  "CMakeFiles/bench_evolve.dir/bench_evolve.c.o.d"
  "bench_evolve"
  "bench_evolve.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_evolve.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
