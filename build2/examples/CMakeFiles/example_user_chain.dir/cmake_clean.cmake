file(REMOVE_RECURSE
  "CMakeFiles/example_user_chain.dir/user_chain.c.o"
  "CMakeFiles/example_user_chain.dir/user_chain.c.o.d"
  "example_user_chain"
  "example_user_chain.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/example_user_chain.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
