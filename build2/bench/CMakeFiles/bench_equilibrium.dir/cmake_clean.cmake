file(REMOVE_RECURSE
  "CMakeFiles/bench_equilibrium.dir/bench_equilibrium.c.o"
  "CMakeFiles/bench_equilibrium.dir/bench_equilibrium.c.o.d"
  "bench_equilibrium"
  "bench_equilibrium.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_equilibrium.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
