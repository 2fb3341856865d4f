# loom_layer(NAME DEPS... [OWN_TEST_DISCOVERY]): builds src/NAME/*.cc (minus
# *_test.cc, *_fuzz.cc) into the static library loom_NAME, and src/NAME/*_test.cc
# into the GoogleTest binary loom_NAME_tests. Our own code builds with warnings
# as errors. With OWN_TEST_DISCOVERY the layer registers its tests with CTest
# itself (to give some of them properties such as a fixture).
set(LOOM_WARNINGS -Wall -Wextra -Wpedantic -Werror -Wno-missing-field-initializers)

function(loom_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 layer "OWN_TEST_DISCOVERY" "" "")
  set(dir ${CMAKE_SOURCE_DIR}/src/${name})
  file(GLOB all_sources CONFIGURE_DEPENDS ${dir}/*.cc)
  set(lib_sources ${all_sources})
  list(FILTER lib_sources EXCLUDE REGEX "(_test|_fuzz|/main)\\.cc$")
  file(GLOB test_sources CONFIGURE_DEPENDS ${dir}/*_test.cc)

  add_library(loom_${name} STATIC ${lib_sources})
  target_include_directories(loom_${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_compile_options(loom_${name} PRIVATE ${LOOM_WARNINGS})
  target_link_libraries(loom_${name} PUBLIC ${layer_UNPARSED_ARGUMENTS})

  if(LOOM_BUILD_TESTS AND test_sources)
    add_executable(loom_${name}_tests ${test_sources})
    target_compile_options(loom_${name}_tests PRIVATE ${LOOM_WARNINGS})
    target_link_libraries(loom_${name}_tests PRIVATE loom_${name} GTest::gtest_main GTest::gmock)
    if(NOT layer_OWN_TEST_DISCOVERY)
      gtest_discover_tests(loom_${name}_tests DISCOVERY_TIMEOUT 60
                           PROPERTIES ENVIRONMENT "LOOM_SOURCE_DIR=${CMAKE_SOURCE_DIR}")
    endif()
  endif()
endfunction()
