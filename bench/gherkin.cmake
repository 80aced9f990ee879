# Gherkin parser benchmark (not a test: timings are printed, never asserted).
#   cmake --build build --target bench-gherkin
# generates the corpora from the official testdata into bench/corpus/ (git-
# ignored) when missing, then prints ours, the read-and-count-newlines
# baseline and the official JS parser side by side, for many real-world-sized
# files and for one 100 MB document.
add_executable(bench_gherkin ${CMAKE_CURRENT_LIST_DIR}/gherkin/bench_gherkin.c)
lb_target_setup(bench_gherkin)
target_link_libraries(bench_gherkin PRIVATE lbcore)

set(lb_gherkin_corpus ${CMAKE_CURRENT_LIST_DIR}/corpus)
set(lb_gherkin_ref ${PROJECT_SOURCE_DIR}/../shared/tools/gherkin-ref/gherkin-ref.mjs)
add_custom_target(bench-gherkin
  COMMAND test -d ${lb_gherkin_corpus}/many || python3
          ${PROJECT_SOURCE_DIR}/scripts/gen-gherkin-corpus.py bench
  COMMAND $<TARGET_FILE:bench_gherkin> --passes 3 --ref ${lb_gherkin_ref}
          ${lb_gherkin_corpus}/many
  COMMAND $<TARGET_FILE:bench_gherkin> --passes 3 --scaling
          --ref ${lb_gherkin_ref} ${lb_gherkin_corpus}/big.feature
  DEPENDS bench_gherkin
  USES_TERMINAL)
