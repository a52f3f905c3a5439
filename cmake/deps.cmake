# Third-party libraries, compiled from the Debian sources that tools/setup.sh
# fetched (Mbed TLS, cJSON, qrcodegen) or that Debian installs as C sources
# (llhttp), with the same configuration for every target. None of their code
# is in this repository.

foreach(pkg mbedtls cjson qr-code-generator)
  if(NOT EXISTS "${POSAGENT_DEPS_DIR}/${pkg}.ok")
    message(FATAL_ERROR "Source package ${pkg} is missing under ${POSAGENT_DEPS_DIR}: run tools/setup.sh")
  endif()
endforeach()

# Third-party code is compiled with its own warnings left alone.
function(posagent_third_party target)
  set_target_properties(${target} PROPERTIES C_STANDARD 99)
  target_compile_options(${target} PRIVATE -w)
endfunction()

# --- llhttp 8.1 (Debian node-llhttp installs the generated C sources) -------
set(LLHTTP_SRC_DIR "/usr/share/llhttp" CACHE PATH "llhttp C sources")
set(LLHTTP_INCLUDE_DIR "/usr/share/include/llhttp" CACHE PATH "llhttp header")
add_library(llhttp STATIC ${LLHTTP_SRC_DIR}/api.c ${LLHTTP_SRC_DIR}/http.c ${LLHTTP_SRC_DIR}/llhttp.c)
target_include_directories(llhttp SYSTEM PUBLIC ${LLHTTP_INCLUDE_DIR})
posagent_third_party(llhttp)

# --- cJSON 1.7.15 with Debian's CVE patches ----------------------------------
# Nesting is capped so a hostile body cannot recurse through the stack.
set(POSAGENT_JSON_NESTING_LIMIT 24)
add_library(cjson STATIC ${POSAGENT_DEPS_DIR}/cjson/cJSON.c)
target_include_directories(cjson SYSTEM PUBLIC ${POSAGENT_DEPS_DIR}/cjson)
target_compile_definitions(cjson PUBLIC CJSON_NESTING_LIMIT=${POSAGENT_JSON_NESTING_LIMIT})
# cJSON's one strtod call goes to core/json's heap-free, locale-free version:
# the C library's may allocate (newlib's Bigints use _calloc_r).
target_compile_definitions(cjson PRIVATE strtod=posagent_json_strtod)
# Its sprintf and sscanf go to core/json's small versions too: no C library
# printf or scanf for cJSON (core/json/cjson_stdio.h says what is kept).
target_compile_definitions(cjson PRIVATE POSAGENT_CJSON_STDIO_REDIRECT=1)
target_compile_options(cjson PRIVATE -include ${CMAKE_SOURCE_DIR}/core/json/cjson_stdio.h)
target_link_libraries(cjson PRIVATE posagent_json_number)
posagent_third_party(cjson)

# --- qrcodegen 1.8 (C) ---------------------------------------------------------
add_library(qrcodegen STATIC ${POSAGENT_DEPS_DIR}/qr-code-generator/c/qrcodegen.c)
target_include_directories(qrcodegen SYSTEM PUBLIC ${POSAGENT_DEPS_DIR}/qr-code-generator/c)
posagent_third_party(qrcodegen)

# --- Mbed TLS 2.28 with our configuration --------------------------------------
# Two variants from the same sources and the same config header:
#   mbedtls       TLS 1.2 client only: what firmware links.
#   mbedtls_peer  the same plus the server role, for test images that host an
#                 in-memory TLS server next to the client.
# The variant changes struct layouts, so core/tls is built once per variant
# (posagent_tls / posagent_tls_peer) and a program links exactly one pair.
#
# platform_util.c (mbedtls_platform_zeroize) is its own library, shared by
# both variants and by core/base's secure_wipe, which wipes card data and
# OTPs in code that links no TLS at all.
file(GLOB MBEDTLS_SOURCES ${POSAGENT_DEPS_DIR}/mbedtls/library/*.c)
set(MBEDTLS_UTIL_SOURCE ${POSAGENT_DEPS_DIR}/mbedtls/library/platform_util.c)
list(REMOVE_ITEM MBEDTLS_SOURCES ${MBEDTLS_UTIL_SOURCE})
# The headers, the config and its definitions reach both variants through it.
add_library(mbedtls_util STATIC ${MBEDTLS_UTIL_SOURCE})
target_include_directories(mbedtls_util SYSTEM PUBLIC ${POSAGENT_DEPS_DIR}/mbedtls/include)
target_include_directories(mbedtls_util PUBLIC ${CMAKE_SOURCE_DIR}/core/tls/config)
target_compile_definitions(mbedtls_util PUBLIC "MBEDTLS_CONFIG_FILE=\"posagent_mbedtls_config.h\"")
if(POSAGENT_BAREMETAL)
  target_compile_definitions(mbedtls_util PUBLIC POSAGENT_TLS_BAREMETAL=1)
endif()
posagent_third_party(mbedtls_util)
foreach(variant mbedtls mbedtls_peer)
  add_library(${variant} STATIC ${MBEDTLS_SOURCES})
  target_link_libraries(${variant} PUBLIC mbedtls_util)
  posagent_third_party(${variant})
endforeach()
target_compile_definitions(mbedtls_peer PUBLIC POSAGENT_TLS_TEST_PEER=1)

# --- doctest (header only), exposed alone so cross builds never see /usr/include
set(DOCTEST_HEADER "/usr/include/doctest/doctest.h" CACHE FILEPATH "doctest header")
configure_file(${DOCTEST_HEADER} ${CMAKE_BINARY_DIR}/third_party/include/doctest/doctest.h COPYONLY)
add_library(doctest INTERFACE)
target_include_directories(doctest SYSTEM INTERFACE ${CMAKE_BINARY_DIR}/third_party/include)
target_compile_definitions(doctest INTERFACE
  DOCTEST_CONFIG_NO_EXCEPTIONS_BUT_WITH_ALL_ASSERTS
  DOCTEST_CONFIG_NO_POSIX_SIGNALS
  DOCTEST_CONFIG_NO_MULTITHREADING)
