# Tests of the scenario layer: src/net, src/scenario, runners/, steps/.
lb_add_test(test_scenario
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_scenario.c
            LABELS unit LIBS lbcore)
lb_add_test(test_net
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_net.c
            LABELS unit LIBS lbcore PkgConfig::MHD)
# The lifecycle with real refnode processes (label integration).
lb_add_test(test_scenario_run
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/scenario/test_scenario_run.c
            LABELS integration LIBS lbcore TIMEOUT 240)
set_property(TEST test_scenario_run APPEND PROPERTY ENVIRONMENT
  "LB_TEST_NOPEER_NODE=${CMAKE_CURRENT_LIST_DIR}/integration/scenario/nopeer-node.sh;LB_READINESS_TIMEOUT_S=3")
# The steps through the real CLI: bad values, and no leftovers when the
# runner is stopped by SIGINT, SIGTERM or SIGKILL (label integration).
add_test(NAME scenario_cli
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/integration/scenario/cli.sh)
set_tests_properties(scenario_cli PROPERTIES LABELS integration TIMEOUT 180
  ENVIRONMENT "LB_SOURCE_DIR=${PROJECT_SOURCE_DIR};LB_BUILD_DIR=${PROJECT_BINARY_DIR}")
# Scenarios through the real CLI, reports checked by the shared validators
# (label integration; skipped when the validators cannot run).
add_test(NAME scenario_reports
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/integration/scenario/reports.sh)
set_tests_properties(scenario_reports PROPERTIES LABELS integration
  TIMEOUT 180 SKIP_RETURN_CODE 77
  ENVIRONMENT "LB_SOURCE_DIR=${PROJECT_SOURCE_DIR};LB_BUILD_DIR=${PROJECT_BINARY_DIR};LB_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared")
