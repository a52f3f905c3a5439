# Compiler flags shared by our own code (not the third-party libraries).
add_library(posagent_flags INTERFACE)
target_compile_options(posagent_flags INTERFACE
  -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion
  $<$<COMPILE_LANGUAGE:CXX>:-fno-exceptions -fno-rtti -Wnon-virtual-dtor>)
target_include_directories(posagent_flags INTERFACE ${CMAKE_SOURCE_DIR} ${CMAKE_SOURCE_DIR}/hal/include)

if(POSAGENT_SANITIZE)
  # Applied to everything, third-party libraries included.
  # vptr checks need RTTI, which the project compiles without.
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()

option(POSAGENT_FUZZ "Build the libFuzzer targets (clang; the fuzz preset)" OFF)
if(POSAGENT_FUZZ)
  # Coverage instrumentation everywhere, so libFuzzer is guided through the
  # third-party parsers too; tests/fuzz links the fuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(POSAGENT_TARGET STREQUAL "cortex-m4")
  set(POSAGENT_BAREMETAL ON)
else()
  set(POSAGENT_BAREMETAL OFF)
endif()
