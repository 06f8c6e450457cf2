# Empty compiler generated dependencies file for fuzz_replay_phi.
# This may be replaced when dependencies are built.
