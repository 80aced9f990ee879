# Unit tests of the expression modules of src/engine: Cucumber Expressions,
# regular expressions, parameter types, tag expressions, the step matcher
# and snippets (tables of the official cucumber testdata).
lb_add_test(test_cucumber_expression
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_cucumber_expression.c
            LABELS unit conformance LIBS lbcore)
lb_add_test(test_tag_expression
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_tag_expression.c
            LABELS unit conformance LIBS lbcore)
lb_add_test(test_step_matcher
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_step_matcher.c
            LABELS unit conformance LIBS lbcore)
lb_add_test(test_snippet
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_snippet.c
            LABELS unit conformance LIBS lbcore)
