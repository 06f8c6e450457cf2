CMakeFiles/hyperland_shared.dir/generated/hl_shared.c.o: \
 /work/wt/netdg/build2/generated/hl_shared.c /usr/include/stdc-predef.h
