# The one place where compiler warnings are chosen (cf. Abseil's copts.py).
set(NCBNET_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-qual -Wformat=2
  -Wimplicit-fallthrough -Wmissing-declarations)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  list(APPEND NCBNET_WARNINGS -Wthread-safety)
endif()
if(NCBNET_WERROR)
  list(APPEND NCBNET_WARNINGS -Werror)
endif()
