# Benchmark of the scenario layer (real refnode processes): orchestration
# overhead, runner memory, block feed and workload keep-up.
add_executable(bench_scenario ${CMAKE_CURRENT_LIST_DIR}/scenario/bench_scenario.c)
lb_target_setup(bench_scenario)
target_link_libraries(bench_scenario PRIVATE lbcore)
