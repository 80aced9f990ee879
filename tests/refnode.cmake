# Tests of refnode (node/) and of the shared mantle module (src/net/mantle).
lb_add_test(test_mantle SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_mantle.c
            LABELS unit refnode LIBS lbcore)

# Integration: real refnode processes on loopback.
set(rn_harness ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/rn_harness.c)
lb_add_test(test_rn_cluster
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/test_rn_cluster.c
                    ${rn_harness}
            LABELS integration refnode LIBS rn TIMEOUT 180)
add_dependencies(test_rn_cluster refnode)
lb_add_test(test_rn_faults
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/test_rn_faults.c
                    ${rn_harness}
            LABELS integration refnode LIBS rn TIMEOUT 180)
add_dependencies(test_rn_faults refnode)

# Unit tests of refnode's modules.
lb_add_test(test_rn_config SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_rn_config.c
            LABELS unit refnode LIBS rn)
lb_add_test(test_rn_chain SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_rn_chain.c
            LABELS unit refnode LIBS rn)
lb_add_test(test_rn_block_rate
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/test_rn_block_rate.c
                    ${rn_harness}
            LABELS integration slow refnode LIBS rn m TIMEOUT 240)
add_dependencies(test_rn_block_rate refnode)
lb_add_test(test_rn_devnet
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/test_rn_devnet.c
                    ${rn_harness}
            LABELS integration refnode LIBS rn TIMEOUT 120)
add_dependencies(test_rn_devnet refnode)
lb_add_test(test_rn_state
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/test_rn_state.c
                    ${rn_harness}
            LABELS integration refnode LIBS rn TIMEOUT 180)
add_dependencies(test_rn_state refnode)
