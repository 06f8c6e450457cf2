# Empty dependencies file for fuzz_replay_network.
# This may be replaced when dependencies are built.
