file(REMOVE_RECURSE
  "libhl_fuzz_common.a"
)
