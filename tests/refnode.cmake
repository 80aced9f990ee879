# Tests of refnode (node/) and of the shared mantle module (src/net/mantle).
lb_add_test(test_mantle SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_mantle.c
            LABELS unit refnode LIBS lbcore)
