# Tests of the scenario layer: src/net, src/scenario, runners/, steps/.
lb_add_test(test_scenario
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_scenario.c
            LABELS unit LIBS lbcore)
lb_add_test(test_net
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_net.c
            LABELS unit LIBS lbcore PkgConfig::MHD)
