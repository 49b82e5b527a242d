# The one place where compiler warnings are chosen (cf. Abseil's copts.py).
set(NCBNET_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-qual -Wformat=2
  -Wimplicit-fallthrough -Wmissing-declarations
  # Designated initialisers name the fields they set and leave the rest to their defaults
  # ({.method = "GET", .pattern = ..., .handler = ...}): that is their point, not a slip.
  -Wno-missing-field-initializers)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  list(APPEND NCBNET_WARNINGS -Wthread-safety)
endif()
if(NCBNET_WERROR)
  list(APPEND NCBNET_WARNINGS -Werror)
endif()
if(NCBNET_WERROR AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 at -O2 reports std::optional<std::vector<...>> as maybe-uninitialized where it is
  # not (GCC bug 105562 and its kin); keep it visible as a warning, not a build failure.
  list(APPEND NCBNET_WARNINGS -Wno-error=maybe-uninitialized)
endif()
