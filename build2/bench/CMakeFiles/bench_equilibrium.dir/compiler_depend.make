# Empty compiler generated dependencies file for bench_equilibrium.
# This may be replaced when dependencies are built.
