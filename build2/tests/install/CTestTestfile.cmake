# CMake generated Testfile for 
# Source directory: /work/wt/netdg/tests/install
# Build directory: /work/wt/netdg/build2/tests/install
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[install_readme_example]=] "bash" "/work/wt/netdg/tests/install/install_test.sh" "/work/wt/netdg/build2" "/work/wt/netdg" "0.1.0" "0" "/usr/bin/cc" "")
set_tests_properties([=[install_readme_example]=] PROPERTIES  LABELS "install" TIMEOUT "300" _BACKTRACE_TRIPLES "/work/wt/netdg/tests/install/CMakeLists.txt;10;add_test;/work/wt/netdg/tests/install/CMakeLists.txt;0;")
