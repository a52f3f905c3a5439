// doctest's main for pgsim's tests (with exceptions, unlike the core's tests).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
