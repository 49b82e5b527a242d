// NCBNET_CHECK(cond, why): an always-on invariant. Where going on would corrupt data or weaken
// security, log the reason and abort. Never use it on untrusted input: return a Status instead.
#pragma once

#include <cstdio>
#include <cstdlib>

#define NCBNET_CHECK(cond, why)                                                               \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      (void)std::fprintf(stderr, "%s:%d: check failed: %s (%s)\n", __FILE__, __LINE__, #cond, \
                         why);                                                                \
      std::abort();                                                                           \
    }                                                                                         \
  } while (false)
