# Empty dependencies file for fuzz_replay_expr.
# This may be replaced when dependencies are built.
