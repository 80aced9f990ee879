# Tests of src/gherkin: unit tests of the pieces, and the official testdata.
lb_add_test(test_gherkin
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_gherkin.c
            LABELS unit LIBS lbcore)
lb_add_test(test_gherkin_conformance
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/conformance/gherkin/test_gherkin_conformance.c
            LABELS conformance LIBS lbcore)

# libFuzzer target (configure with CC=clang -DLB_FUZZ=ON; run by
# scripts/ci.d/gherkin-fuzz.sh). lbcore gets the coverage instrumentation.
if(LB_FUZZ)
  target_compile_options(lbcore PRIVATE -fsanitize=fuzzer-no-link,address)
  add_executable(fuzz_gherkin ${CMAKE_CURRENT_LIST_DIR}/fuzz/fuzz_gherkin.c)
  lb_target_setup(fuzz_gherkin)
  target_compile_options(fuzz_gherkin PRIVATE -fsanitize=fuzzer,address)
  target_link_options(fuzz_gherkin PRIVATE -fsanitize=fuzzer,address)
  target_link_libraries(fuzz_gherkin PRIVATE lbcore)
endif()
