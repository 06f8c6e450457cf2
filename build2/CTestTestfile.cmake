# CMake generated Testfile for 
# Source directory: /work/wt/netdg
# Build directory: /work/wt/netdg/build2
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
subdirs("tests")
subdirs("tests/cli")
subdirs("tests/fuzz")
subdirs("bench")
subdirs("examples")
subdirs("tests/install")
