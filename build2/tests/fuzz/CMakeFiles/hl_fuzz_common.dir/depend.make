# Empty dependencies file for hl_fuzz_common.
# This may be replaced when dependencies are built.
