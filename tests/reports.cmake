# Tests of the report formatters (reports/).
#
# Integration: every Cucumber Compatibility Kit stream and every nasty
# stream of tests/data/reports replayed through lb-report into junit, json
# and message, each report judged by its validator in ../shared/tools
# (skipped when ../shared or node/npm are missing).
# ../shared of the checkout; a worktree elsewhere can point LB_SHARED_DIR at
# it when configuring.
set(lb_reports_shared ${PROJECT_SOURCE_DIR}/../shared)
if(NOT EXISTS ${lb_reports_shared} AND DEFINED ENV{LB_SHARED_DIR})
  set(lb_reports_shared $ENV{LB_SHARED_DIR})
endif()
set(lb_reports_full "all-statuses attachments examples-tables hooks retry rules-backgrounds data-tables doc-strings nasty-failures nasty-outlines")
foreach(lb_fmt junit json message)
  foreach(lb_mode quick full)
  if(lb_mode STREQUAL "full")
    set(lb_full all)
    set(lb_labels "integration;slow")
  else()
    set(lb_full ${lb_reports_full})
    set(lb_labels integration)
  endif()
  add_test(NAME reports_replay_${lb_fmt}_${lb_mode}
           COMMAND ${CMAKE_CURRENT_LIST_DIR}/integration/reports/replay.sh
                   ${lb_fmt} $<TARGET_FILE:lb-report>
                   ${lb_reports_shared}/conformance/cck
                   ${CMAKE_CURRENT_LIST_DIR}/data/reports)
  set_tests_properties(reports_replay_${lb_fmt}_${lb_mode} PROPERTIES
    LABELS "${lb_labels}" TIMEOUT 900 SKIP_RETURN_CODE 77
    ENVIRONMENT "LB_SHARED_DIR=${lb_reports_shared};REPLAY_FULL=${lb_full}")
  endforeach()
endforeach()

# Unit tests of the formatters.
lb_add_test(test_report_util
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_util.c
            LABELS unit LIBS lbcore)
lb_add_test(test_report_formatter
            SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_formatter.c
            LABELS unit LIBS lbcore)
