
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/netdg/cli/cmd_compare.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_compare.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_compare.c.o.d"
  "/work/wt/netdg/cli/cmd_evolve.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_evolve.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_evolve.c.o.d"
  "/work/wt/netdg/cli/cmd_exact.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_exact.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_exact.c.o.d"
  "/work/wt/netdg/cli/cmd_fokker_planck.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_fokker_planck.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_fokker_planck.c.o.d"
  "/work/wt/netdg/cli/cmd_gaussian.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_gaussian.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_gaussian.c.o.d"
  "/work/wt/netdg/cli/cmd_lattice_network.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_lattice_network.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_lattice_network.c.o.d"
  "/work/wt/netdg/cli/cmd_mfpt.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_mfpt.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_mfpt.c.o.d"
  "/work/wt/netdg/cli/cmd_network.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_network.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_network.c.o.d"
  "/work/wt/netdg/cli/cmd_paper.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_paper.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_paper.c.o.d"
  "/work/wt/netdg/cli/cmd_phases.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_phases.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_phases.c.o.d"
  "/work/wt/netdg/cli/cmd_spectrum.c" "CMakeFiles/hyperland_cli.dir/cli/cmd_spectrum.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/cmd_spectrum.c.o.d"
  "/work/wt/netdg/cli/compare.c" "CMakeFiles/hyperland_cli.dir/cli/compare.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/compare.c.o.d"
  "/work/wt/netdg/cli/main.c" "CMakeFiles/hyperland_cli.dir/cli/main.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/main.c.o.d"
  "/work/wt/netdg/cli/network_dg.c" "CMakeFiles/hyperland_cli.dir/cli/network_dg.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/network_dg.c.o.d"
  "/work/wt/netdg/cli/options.c" "CMakeFiles/hyperland_cli.dir/cli/options.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/options.c.o.d"
  "/work/wt/netdg/cli/outputs.c" "CMakeFiles/hyperland_cli.dir/cli/outputs.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/outputs.c.o.d"
  "/work/wt/netdg/cli/plot.c" "CMakeFiles/hyperland_cli.dir/cli/plot.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/plot.c.o.d"
  "/work/wt/netdg/cli/trajectory.c" "CMakeFiles/hyperland_cli.dir/cli/trajectory.c.o" "gcc" "CMakeFiles/hyperland_cli.dir/cli/trajectory.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/netdg/build2/CMakeFiles/hyperland_shared.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
