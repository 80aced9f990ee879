# Benchmark of a whole run through the CLI (all formatters vs no report):
#   build/bench_run [scenarios=10000]
# with CUCUMBER_JS=.../cucumber-js CUCUMBER_JS_STEPS=steps.mjs for the
# cucumber-js ratio (bench/bench_run_cucumber.sh sets both up).
add_executable(bench_run ${CMAKE_CURRENT_LIST_DIR}/bench_run.c)
lb_target_setup(bench_run)
add_library(bench_run_steps MODULE ${CMAKE_CURRENT_LIST_DIR}/bench_run_steps.c)
lb_target_setup(bench_run_steps)
target_compile_options(bench_run_steps PRIVATE -Wno-missing-prototypes)
set_target_properties(bench_run_steps PROPERTIES PREFIX ""
  LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR})
add_dependencies(bench_run logos-bdd bench_run_steps)
