# Tests of the engine (src/engine) and the CLI (src/cli).

# The CCK samples' step definitions, one loadable library each
# (build/cck/cck_<sample>.so), for the conformance test below.
file(GLOB lb_cck_step_srcs CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_LIST_DIR}/conformance/cck/steps/*.c)
set(lb_cck_libs)
foreach(src ${lb_cck_step_srcs})
  get_filename_component(sample ${src} NAME_WE)
  add_library(cck_${sample} MODULE ${src})
  lb_target_setup(cck_${sample})
  target_compile_options(cck_${sample} PRIVATE -Wno-missing-prototypes)
  set_target_properties(cck_${sample} PROPERTIES PREFIX ""
    OUTPUT_NAME cck_${sample}
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/cck)
  list(APPEND lb_cck_libs cck_${sample})
endforeach()



lb_add_test(test_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_cli.c
            ${PROJECT_SOURCE_DIR}/src/cli/options.c
            LABELS unit LIBS lbcore)
lb_add_test(test_cck SOURCES ${CMAKE_CURRENT_LIST_DIR}/conformance/cck/test_cck.c
            LABELS conformance LIBS PkgConfig::JANSSON TIMEOUT 120)
add_dependencies(test_cck logos-bdd ${lb_cck_libs})
set_tests_properties(test_cck PROPERTIES SKIP_RETURN_CODE 77)
lb_add_test(test_engine SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_engine.c
            LABELS unit LIBS lbcore)

# Integration: the real CLI with a step library loaded by --require.
add_library(lb_itest_steps MODULE
            ${CMAKE_CURRENT_LIST_DIR}/integration/engine/steps.c)
lb_target_setup(lb_itest_steps)
set_target_properties(lb_itest_steps PROPERTIES PREFIX ""
  LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
add_test(NAME engine_cli
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/integration/engine/cli_test.sh
          $<TARGET_FILE:logos-bdd> $<TARGET_FILE:lb_itest_steps>)
set_tests_properties(engine_cli PROPERTIES LABELS integration TIMEOUT 120)

# Integration: the reports of real runs of CCK samples through the shared
# validators (JUnit, Cucumber JSON --schema jvm, Messages --no-browser).
add_test(NAME engine_validators
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/integration/engine/validators_test.sh
          $<TARGET_FILE:logos-bdd> ${PROJECT_BINARY_DIR}/cck
          ${PROJECT_SOURCE_DIR}/../shared)
set_tests_properties(engine_validators PROPERTIES LABELS integration
  TIMEOUT 600 SKIP_RETURN_CODE 77)
