file(REMOVE_RECURSE
  "CMakeFiles/bench_kinetics.dir/bench_kinetics.c.o"
  "CMakeFiles/bench_kinetics.dir/bench_kinetics.c.o.d"
  "bench_kinetics"
  "bench_kinetics.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_kinetics.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
