file(REMOVE_RECURSE
  "libhyperland.a"
)
