file(REMOVE_RECURSE
  "CMakeFiles/hl_gitinfo"
  "generated/hl_gitinfo.h"
)

# Per-language clean rules from dependency scanning.
foreach(lang )
  include(CMakeFiles/hl_gitinfo.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
