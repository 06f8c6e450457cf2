# CMake generated Testfile for 
# Source directory: /work/wt/netdg/tests/fuzz
# Build directory: /work/wt/netdg/build2/tests/fuzz
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[fuzz_replay_phi]=] "/work/wt/netdg/build2/tests/fuzz/fuzz_replay_phi" "/work/wt/netdg/tests/fuzz/corpus/phi")
set_tests_properties([=[fuzz_replay_phi]=] PROPERTIES  LABELS "fuzz" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/wt/netdg/tests/fuzz/CMakeLists.txt;23;add_test;/work/wt/netdg/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz_replay_transmission]=] "/work/wt/netdg/build2/tests/fuzz/fuzz_replay_transmission" "/work/wt/netdg/tests/fuzz/corpus/transmission")
set_tests_properties([=[fuzz_replay_transmission]=] PROPERTIES  LABELS "fuzz" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/wt/netdg/tests/fuzz/CMakeLists.txt;23;add_test;/work/wt/netdg/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz_replay_expr]=] "/work/wt/netdg/build2/tests/fuzz/fuzz_replay_expr" "/work/wt/netdg/tests/fuzz/corpus/expr")
set_tests_properties([=[fuzz_replay_expr]=] PROPERTIES  LABELS "fuzz" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/wt/netdg/tests/fuzz/CMakeLists.txt;23;add_test;/work/wt/netdg/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz_replay_protocol]=] "/work/wt/netdg/build2/tests/fuzz/fuzz_replay_protocol" "/work/wt/netdg/tests/fuzz/corpus/protocol")
set_tests_properties([=[fuzz_replay_protocol]=] PROPERTIES  LABELS "fuzz" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/wt/netdg/tests/fuzz/CMakeLists.txt;23;add_test;/work/wt/netdg/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz_replay_start]=] "/work/wt/netdg/build2/tests/fuzz/fuzz_replay_start" "/work/wt/netdg/tests/fuzz/corpus/start")
set_tests_properties([=[fuzz_replay_start]=] PROPERTIES  LABELS "fuzz" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/wt/netdg/tests/fuzz/CMakeLists.txt;23;add_test;/work/wt/netdg/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz_replay_options]=] "/work/wt/netdg/build2/tests/fuzz/fuzz_replay_options" "/work/wt/netdg/tests/fuzz/corpus/options")
set_tests_properties([=[fuzz_replay_options]=] PROPERTIES  LABELS "fuzz" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/wt/netdg/tests/fuzz/CMakeLists.txt;23;add_test;/work/wt/netdg/tests/fuzz/CMakeLists.txt;0;")
add_test([=[fuzz_replay_network]=] "/work/wt/netdg/build2/tests/fuzz/fuzz_replay_network" "/work/wt/netdg/tests/fuzz/corpus/network")
set_tests_properties([=[fuzz_replay_network]=] PROPERTIES  LABELS "fuzz" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/wt/netdg/tests/fuzz/CMakeLists.txt;23;add_test;/work/wt/netdg/tests/fuzz/CMakeLists.txt;0;")
