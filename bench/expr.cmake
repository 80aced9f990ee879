# Benchmark of the step matcher (prefix index vs the naive loop, same run):
#   build/bench_step_matcher [steps=100000] [definitions=500]
add_executable(bench_step_matcher ${CMAKE_CURRENT_LIST_DIR}/bench_step_matcher.c)
lb_target_setup(bench_step_matcher)
target_link_libraries(bench_step_matcher PRIVATE lbcore)
