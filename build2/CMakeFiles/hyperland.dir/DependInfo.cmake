
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/netdg/src/chain/chain.c" "CMakeFiles/hyperland.dir/src/chain/chain.c.o" "gcc" "CMakeFiles/hyperland.dir/src/chain/chain.c.o.d"
  "/work/wt/netdg/src/chain/chain_solve.c" "CMakeFiles/hyperland.dir/src/chain/chain_solve.c.o" "gcc" "CMakeFiles/hyperland.dir/src/chain/chain_solve.c.o.d"
  "/work/wt/netdg/src/chain/class_lattice.c" "CMakeFiles/hyperland.dir/src/chain/class_lattice.c.o" "gcc" "CMakeFiles/hyperland.dir/src/chain/class_lattice.c.o.d"
  "/work/wt/netdg/src/chain/grid.c" "CMakeFiles/hyperland.dir/src/chain/grid.c.o" "gcc" "CMakeFiles/hyperland.dir/src/chain/grid.c.o.d"
  "/work/wt/netdg/src/chain/protocol.c" "CMakeFiles/hyperland.dir/src/chain/protocol.c.o" "gcc" "CMakeFiles/hyperland.dir/src/chain/protocol.c.o.d"
  "/work/wt/netdg/src/chain/rchain.c" "CMakeFiles/hyperland.dir/src/chain/rchain.c.o" "gcc" "CMakeFiles/hyperland.dir/src/chain/rchain.c.o.d"
  "/work/wt/netdg/src/core/blas_threads.c" "CMakeFiles/hyperland.dir/src/core/blas_threads.c.o" "gcc" "CMakeFiles/hyperland.dir/src/core/blas_threads.c.o.d"
  "/work/wt/netdg/src/core/error.c" "CMakeFiles/hyperland.dir/src/core/error.c.o" "gcc" "CMakeFiles/hyperland.dir/src/core/error.c.o.d"
  "/work/wt/netdg/src/core/threads.c" "CMakeFiles/hyperland.dir/src/core/threads.c.o" "gcc" "CMakeFiles/hyperland.dir/src/core/threads.c.o.d"
  "/work/wt/netdg/src/core/timing.c" "CMakeFiles/hyperland.dir/src/core/timing.c.o" "gcc" "CMakeFiles/hyperland.dir/src/core/timing.c.o.d"
  "/work/wt/netdg/src/kinetics/basin_kinetics.c" "CMakeFiles/hyperland.dir/src/kinetics/basin_kinetics.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/basin_kinetics.c.o.d"
  "/work/wt/netdg/src/kinetics/evolve.c" "CMakeFiles/hyperland.dir/src/kinetics/evolve.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/evolve.c.o.d"
  "/work/wt/netdg/src/kinetics/fokker_planck.c" "CMakeFiles/hyperland.dir/src/kinetics/fokker_planck.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/fokker_planck.c.o.d"
  "/work/wt/netdg/src/kinetics/generator.c" "CMakeFiles/hyperland.dir/src/kinetics/generator.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/generator.c.o.d"
  "/work/wt/netdg/src/kinetics/lattice_network.c" "CMakeFiles/hyperland.dir/src/kinetics/lattice_network.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/lattice_network.c.o.d"
  "/work/wt/netdg/src/kinetics/master_spectrum.c" "CMakeFiles/hyperland.dir/src/kinetics/master_spectrum.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/master_spectrum.c.o.d"
  "/work/wt/netdg/src/kinetics/passage.c" "CMakeFiles/hyperland.dir/src/kinetics/passage.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/passage.c.o.d"
  "/work/wt/netdg/src/kinetics/sector_multiplicity.c" "CMakeFiles/hyperland.dir/src/kinetics/sector_multiplicity.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/sector_multiplicity.c.o.d"
  "/work/wt/netdg/src/kinetics/sectors.c" "CMakeFiles/hyperland.dir/src/kinetics/sectors.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/sectors.c.o.d"
  "/work/wt/netdg/src/kinetics/spectrum_separable.c" "CMakeFiles/hyperland.dir/src/kinetics/spectrum_separable.c.o" "gcc" "CMakeFiles/hyperland.dir/src/kinetics/spectrum_separable.c.o.d"
  "/work/wt/netdg/src/model/basins.c" "CMakeFiles/hyperland.dir/src/model/basins.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/basins.c.o.d"
  "/work/wt/netdg/src/model/entropy.c" "CMakeFiles/hyperland.dir/src/model/entropy.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/entropy.c.o.d"
  "/work/wt/netdg/src/model/exact.c" "CMakeFiles/hyperland.dir/src/model/exact.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/exact.c.o.d"
  "/work/wt/netdg/src/model/exact_general.c" "CMakeFiles/hyperland.dir/src/model/exact_general.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/exact_general.c.o.d"
  "/work/wt/netdg/src/model/exact_separable.c" "CMakeFiles/hyperland.dir/src/model/exact_separable.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/exact_separable.c.o.d"
  "/work/wt/netdg/src/model/formula.c" "CMakeFiles/hyperland.dir/src/model/formula.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/formula.c.o.d"
  "/work/wt/netdg/src/model/formula_deriv.c" "CMakeFiles/hyperland.dir/src/model/formula_deriv.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/formula_deriv.c.o.d"
  "/work/wt/netdg/src/model/formula_interval.c" "CMakeFiles/hyperland.dir/src/model/formula_interval.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/formula_interval.c.o.d"
  "/work/wt/netdg/src/model/formula_parse.c" "CMakeFiles/hyperland.dir/src/model/formula_parse.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/formula_parse.c.o.d"
  "/work/wt/netdg/src/model/gaussian.c" "CMakeFiles/hyperland.dir/src/model/gaussian.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/gaussian.c.o.d"
  "/work/wt/netdg/src/model/maxima.c" "CMakeFiles/hyperland.dir/src/model/maxima.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/maxima.c.o.d"
  "/work/wt/netdg/src/model/melting.c" "CMakeFiles/hyperland.dir/src/model/melting.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/melting.c.o.d"
  "/work/wt/netdg/src/model/model.c" "CMakeFiles/hyperland.dir/src/model/model.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/model.c.o.d"
  "/work/wt/netdg/src/model/model_check.c" "CMakeFiles/hyperland.dir/src/model/model_check.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/model_check.c.o.d"
  "/work/wt/netdg/src/model/phases.c" "CMakeFiles/hyperland.dir/src/model/phases.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/phases.c.o.d"
  "/work/wt/netdg/src/model/phi_min.c" "CMakeFiles/hyperland.dir/src/model/phi_min.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/phi_min.c.o.d"
  "/work/wt/netdg/src/model/saddle.c" "CMakeFiles/hyperland.dir/src/model/saddle.c.o" "gcc" "CMakeFiles/hyperland.dir/src/model/saddle.c.o.d"
  "/work/wt/netdg/src/network/disconnectivity.c" "CMakeFiles/hyperland.dir/src/network/disconnectivity.c.o" "gcc" "CMakeFiles/hyperland.dir/src/network/disconnectivity.c.o.d"
  "/work/wt/netdg/src/network/network.c" "CMakeFiles/hyperland.dir/src/network/network.c.o" "gcc" "CMakeFiles/hyperland.dir/src/network/network.c.o.d"
  "/work/wt/netdg/src/network/network_read.c" "CMakeFiles/hyperland.dir/src/network/network_read.c.o" "gcc" "CMakeFiles/hyperland.dir/src/network/network_read.c.o.d"
  "/work/wt/netdg/src/network/network_sets.c" "CMakeFiles/hyperland.dir/src/network/network_sets.c.o" "gcc" "CMakeFiles/hyperland.dir/src/network/network_sets.c.o.d"
  "/work/wt/netdg/src/network/network_thermo.c" "CMakeFiles/hyperland.dir/src/network/network_thermo.c.o" "gcc" "CMakeFiles/hyperland.dir/src/network/network_thermo.c.o.d"
  "/work/wt/netdg/src/output/output.c" "CMakeFiles/hyperland.dir/src/output/output.c.o" "gcc" "CMakeFiles/hyperland.dir/src/output/output.c.o.d"
  "/work/wt/netdg/src/output/provenance.c" "CMakeFiles/hyperland.dir/src/output/provenance.c.o" "gcc" "CMakeFiles/hyperland.dir/src/output/provenance.c.o.d"
  "/work/wt/netdg/src/solvers/active.c" "CMakeFiles/hyperland.dir/src/solvers/active.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/active.c.o.d"
  "/work/wt/netdg/src/solvers/arpack.c" "CMakeFiles/hyperland.dir/src/solvers/arpack.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/arpack.c.o.d"
  "/work/wt/netdg/src/solvers/capacity.c" "CMakeFiles/hyperland.dir/src/solvers/capacity.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/capacity.c.o.d"
  "/work/wt/netdg/src/solvers/chain_evolve.c" "CMakeFiles/hyperland.dir/src/solvers/chain_evolve.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/chain_evolve.c.o.d"
  "/work/wt/netdg/src/solvers/evolve_cvode.c" "CMakeFiles/hyperland.dir/src/solvers/evolve_cvode.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/evolve_cvode.c.o.d"
  "/work/wt/netdg/src/solvers/evolve_krylov.c" "CMakeFiles/hyperland.dir/src/solvers/evolve_krylov.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/evolve_krylov.c.o.d"
  "/work/wt/netdg/src/solvers/gridchain.c" "CMakeFiles/hyperland.dir/src/solvers/gridchain.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/gridchain.c.o.d"
  "/work/wt/netdg/src/solvers/passage_direct.c" "CMakeFiles/hyperland.dir/src/solvers/passage_direct.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/passage_direct.c.o.d"
  "/work/wt/netdg/src/solvers/passage_gt.c" "CMakeFiles/hyperland.dir/src/solvers/passage_gt.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/passage_gt.c.o.d"
  "/work/wt/netdg/src/solvers/passage_methods.c" "CMakeFiles/hyperland.dir/src/solvers/passage_methods.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/passage_methods.c.o.d"
  "/work/wt/netdg/src/solvers/slow_modes.c" "CMakeFiles/hyperland.dir/src/solvers/slow_modes.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/slow_modes.c.o.d"
  "/work/wt/netdg/src/solvers/spectrum.c" "CMakeFiles/hyperland.dir/src/solvers/spectrum.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/spectrum.c.o.d"
  "/work/wt/netdg/src/solvers/spectrum_dense.c" "CMakeFiles/hyperland.dir/src/solvers/spectrum_dense.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/spectrum_dense.c.o.d"
  "/work/wt/netdg/src/solvers/spectrum_shift_invert.c" "CMakeFiles/hyperland.dir/src/solvers/spectrum_shift_invert.c.o" "gcc" "CMakeFiles/hyperland.dir/src/solvers/spectrum_shift_invert.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
