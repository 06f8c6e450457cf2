
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/netdg/cli/cmd_compare.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_compare.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_compare.c.o.d"
  "/work/wt/netdg/cli/cmd_evolve.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_evolve.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_evolve.c.o.d"
  "/work/wt/netdg/cli/cmd_exact.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_exact.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_exact.c.o.d"
  "/work/wt/netdg/cli/cmd_fokker_planck.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_fokker_planck.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_fokker_planck.c.o.d"
  "/work/wt/netdg/cli/cmd_gaussian.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_gaussian.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_gaussian.c.o.d"
  "/work/wt/netdg/cli/cmd_lattice_network.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_lattice_network.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_lattice_network.c.o.d"
  "/work/wt/netdg/cli/cmd_mfpt.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_mfpt.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_mfpt.c.o.d"
  "/work/wt/netdg/cli/cmd_network.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_network.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_network.c.o.d"
  "/work/wt/netdg/cli/cmd_paper.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_paper.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_paper.c.o.d"
  "/work/wt/netdg/cli/cmd_phases.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_phases.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_phases.c.o.d"
  "/work/wt/netdg/cli/cmd_spectrum.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_spectrum.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/cmd_spectrum.c.o.d"
  "/work/wt/netdg/cli/compare.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/compare.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/compare.c.o.d"
  "/work/wt/netdg/cli/network_dg.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/network_dg.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/network_dg.c.o.d"
  "/work/wt/netdg/cli/options.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/options.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/options.c.o.d"
  "/work/wt/netdg/cli/outputs.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/outputs.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/outputs.c.o.d"
  "/work/wt/netdg/cli/plot.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/plot.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/plot.c.o.d"
  "/work/wt/netdg/cli/trajectory.c" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/trajectory.c.o" "gcc" "tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/__/__/cli/trajectory.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/netdg/build2/CMakeFiles/hyperland.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
