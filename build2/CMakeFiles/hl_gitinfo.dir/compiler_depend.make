# Empty custom commands generated dependencies file for hl_gitinfo.
# This may be replaced when dependencies are built.
