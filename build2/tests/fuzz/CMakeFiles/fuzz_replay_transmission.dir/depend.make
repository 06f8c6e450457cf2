# Empty dependencies file for fuzz_replay_transmission.
# This may be replaced when dependencies are built.
