# ncbnet_library(name SRCS ... DEPS ...): a static library ncbnet_<name>, alias ncbnet::<name>.
# Include paths start at src/.
function(ncbnet_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(ncbnet_${name} STATIC ${ARG_SRCS})
  add_library(ncbnet::${name} ALIAS ncbnet_${name})
  target_include_directories(ncbnet_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(ncbnet_${name} PRIVATE ${NCBNET_WARNINGS})
  target_link_libraries(ncbnet_${name} PUBLIC ${ARG_DEPS})
endfunction()

# ncbnet_test(name SRCS ... DEPS ... [PROPERTIES ...]): one GoogleTest binary, registered with
# CTest (label unit, plus the test properties given).
function(ncbnet_test name)
  if(NOT NCBNET_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PROPERTIES" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE ${NCBNET_WARNINGS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  include(GoogleTest)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit ${ARG_PROPERTIES})
  set_property(GLOBAL APPEND PROPERTY NCBNET_TEST_BINARIES ${name})
endfunction()

# ncbnet_fuzz(name SRCS ... DEPS ...): a libFuzzer target when NCBNET_FUZZ is on; otherwise a
# replay binary that runs every file of tests/fuzz/corpus/<name>/ through the target, as a test.
function(ncbnet_fuzz name)
  if(NOT NCBNET_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  if(NCBNET_FUZZ)
    add_executable(${name}_fuzz ${ARG_SRCS})
    target_compile_options(${name}_fuzz PRIVATE -fsanitize=fuzzer)
    target_link_options(${name}_fuzz PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${name}_fuzz ${ARG_SRCS} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cc)
    add_test(NAME fuzz_replay_${name}
             COMMAND ${name}_fuzz ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/${name})
    set_tests_properties(fuzz_replay_${name} PROPERTIES LABELS fuzz)
  endif()
  target_include_directories(${name}_fuzz PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name}_fuzz PRIVATE ${ARG_DEPS})
  set_property(GLOBAL APPEND PROPERTY NCBNET_TEST_BINARIES ${name}_fuzz)
endfunction()
