# Empty compiler generated dependencies file for fuzz_replay_start.
# This may be replaced when dependencies are built.
