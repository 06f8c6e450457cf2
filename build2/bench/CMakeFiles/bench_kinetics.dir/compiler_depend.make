# Empty compiler generated dependencies file for bench_kinetics.
# This may be replaced when dependencies are built.
