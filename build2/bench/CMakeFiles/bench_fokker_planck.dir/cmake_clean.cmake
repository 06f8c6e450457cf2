file(REMOVE_RECURSE
  "CMakeFiles/bench_fokker_planck.dir/bench_fokker_planck.c.o"
  "CMakeFiles/bench_fokker_planck.dir/bench_fokker_planck.c.o.d"
  "bench_fokker_planck"
  "bench_fokker_planck.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_fokker_planck.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
