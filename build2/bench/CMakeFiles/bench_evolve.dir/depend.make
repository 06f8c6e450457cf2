# Empty dependencies file for bench_evolve.
# This may be replaced when dependencies are built.
