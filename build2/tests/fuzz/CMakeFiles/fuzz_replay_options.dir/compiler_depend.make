# Empty compiler generated dependencies file for fuzz_replay_options.
# This may be replaced when dependencies are built.
