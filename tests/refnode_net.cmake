# refnode's HTTP client (node/http.c) against real servers on loopback.
lb_add_test(test_rn_net_http
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/test_rn_net_http.c
            LABELS integration refnode LIBS rn Threads::Threads TIMEOUT 60)
# A cluster node with broken peers (garbage, stalled, gone) introduced by hello.
lb_add_test(test_rn_net_peers
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/test_rn_net_peers.c
                    ${CMAKE_CURRENT_LIST_DIR}/integration/refnode/rn_harness.c
            LABELS integration refnode LIBS rn Threads::Threads TIMEOUT 120)
add_dependencies(test_rn_net_peers refnode)
