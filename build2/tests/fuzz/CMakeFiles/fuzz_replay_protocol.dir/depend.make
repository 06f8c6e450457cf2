# Empty dependencies file for fuzz_replay_protocol.
# This may be replaced when dependencies are built.
