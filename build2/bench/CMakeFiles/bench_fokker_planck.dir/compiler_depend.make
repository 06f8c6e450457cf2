# Empty compiler generated dependencies file for bench_fokker_planck.
# This may be replaced when dependencies are built.
