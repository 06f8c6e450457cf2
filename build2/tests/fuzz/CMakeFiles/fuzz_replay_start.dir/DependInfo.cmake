
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/netdg/tests/fuzz/fuzz_start.c" "tests/fuzz/CMakeFiles/fuzz_replay_start.dir/fuzz_start.c.o" "gcc" "tests/fuzz/CMakeFiles/fuzz_replay_start.dir/fuzz_start.c.o.d"
  "/work/wt/netdg/tests/fuzz/replay.c" "tests/fuzz/CMakeFiles/fuzz_replay_start.dir/replay.c.o" "gcc" "tests/fuzz/CMakeFiles/fuzz_replay_start.dir/replay.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/netdg/build2/tests/fuzz/CMakeFiles/hl_fuzz_common.dir/DependInfo.cmake"
  "/work/wt/netdg/build2/tests/fuzz/CMakeFiles/hl_fuzz_cli.dir/DependInfo.cmake"
  "/work/wt/netdg/build2/CMakeFiles/hyperland.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
