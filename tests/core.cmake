# Unit tests of src/core.
lb_add_test(test_core SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_core.c
            LABELS unit LIBS lbcore)
