# posagent_add_test(name SOURCES ... [LIBS ...] [LABELS ...])
# Builds a doctest executable for the current target and registers it with
# ctest. Cross builds run it through CMAKE_CROSSCOMPILING_EMULATOR (QEMU).
function(posagent_add_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE posagent_test_main ${T_LIBS} posagent_flags doctest)
  posagent_link_board(${name})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${POSAGENT_TARGET};${T_LABELS}")
endfunction()

# Links the board support a bare-metal program needs to boot under QEMU.
function(posagent_link_board target)
  if(POSAGENT_BAREMETAL)
    target_link_libraries(${target} PRIVATE posagent_mps2_board)
  endif()
endfunction()
