file(REMOVE_RECURSE
  "libhl_fuzz_cli.a"
)
