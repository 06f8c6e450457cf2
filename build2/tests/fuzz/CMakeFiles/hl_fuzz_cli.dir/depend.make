# Empty dependencies file for hl_fuzz_cli.
# This may be replaced when dependencies are built.
