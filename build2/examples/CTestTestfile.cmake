# CMake generated Testfile for 
# Source directory: /work/wt/netdg/examples
# Build directory: /work/wt/netdg/build2/examples
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test([=[example_readme_example]=] "python3" "/work/wt/netdg/examples/compare.py" "/work/wt/netdg/examples/readme_example.expected" "--rtol" "1e-9" "--run" "/work/wt/netdg/build2/examples/example_readme_example")
set_tests_properties([=[example_readme_example]=] PROPERTIES  LABELS "example" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt/netdg/examples/CMakeLists.txt;22;add_test;/work/wt/netdg/examples/CMakeLists.txt;0;")
add_test([=[example_paper_numbers]=] "python3" "/work/wt/netdg/examples/compare.py" "/work/wt/netdg/examples/paper_numbers.expected" "--rtol" "1e-9" "--run" "/work/wt/netdg/build2/examples/example_paper_numbers")
set_tests_properties([=[example_paper_numbers]=] PROPERTIES  LABELS "example" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt/netdg/examples/CMakeLists.txt;22;add_test;/work/wt/netdg/examples/CMakeLists.txt;0;")
add_test([=[example_spectrum]=] "python3" "/work/wt/netdg/examples/compare.py" "/work/wt/netdg/examples/spectrum.expected" "--rtol" "1e-9" "--run" "/work/wt/netdg/build2/examples/example_spectrum")
set_tests_properties([=[example_spectrum]=] PROPERTIES  LABELS "example" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt/netdg/examples/CMakeLists.txt;22;add_test;/work/wt/netdg/examples/CMakeLists.txt;0;")
add_test([=[example_user_chain]=] "python3" "/work/wt/netdg/examples/compare.py" "/work/wt/netdg/examples/user_chain.expected" "--rtol" "1e-12" "--run" "/work/wt/netdg/build2/examples/example_user_chain")
set_tests_properties([=[example_user_chain]=] PROPERTIES  LABELS "example" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt/netdg/examples/CMakeLists.txt;22;add_test;/work/wt/netdg/examples/CMakeLists.txt;0;")
add_test([=[example_protocol]=] "python3" "/work/wt/netdg/examples/compare.py" "/work/wt/netdg/examples/protocol.expected" "--rtol" "1e-7" "--run" "/work/wt/netdg/build2/examples/example_protocol")
set_tests_properties([=[example_protocol]=] PROPERTIES  LABELS "example" TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt/netdg/examples/CMakeLists.txt;22;add_test;/work/wt/netdg/examples/CMakeLists.txt;0;")
add_test([=[readme_example_in_sync]=] "python3" "-c" "import sys; r = open(sys.argv[1]).read(); ok = all(open(f).read() in r for f in sys.argv[2:]); print('README shows the example and its output' if ok else 'README.md does not show examples/readme_example.c or its .expected verbatim'); sys.exit(0 if ok else 1)" "/work/wt/netdg/README.md" "/work/wt/netdg/examples/readme_example.c" "/work/wt/netdg/examples/readme_example.expected")
set_tests_properties([=[readme_example_in_sync]=] PROPERTIES  LABELS "example" _BACKTRACE_TRIPLES "/work/wt/netdg/examples/CMakeLists.txt;31;add_test;/work/wt/netdg/examples/CMakeLists.txt;0;")
