# Tests of src/gherkin: unit tests of the pieces, and the official testdata.
lb_add_test(test_gherkin
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_gherkin.c
            LABELS unit LIBS lbcore)
lb_add_test(test_gherkin_conformance
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/conformance/gherkin/test_gherkin_conformance.c
            LABELS conformance LIBS lbcore)
