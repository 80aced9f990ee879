# refnode benchmarks (need the test harness, so only with the tests).
if(LB_BUILD_TESTS)
  set(rn_bench_harness
      ${PROJECT_SOURCE_DIR}/tests/integration/refnode/rn_harness.c)
  foreach(b bench_rn_idle bench_rn_tx)
    add_executable(${b} ${CMAKE_CURRENT_LIST_DIR}/refnode/${b}.c
                        ${rn_bench_harness})
    lb_target_setup(${b})
    target_include_directories(${b} PRIVATE ${PROJECT_SOURCE_DIR}/tests
      ${PROJECT_SOURCE_DIR}/tests/integration/refnode)
    target_link_libraries(${b} PRIVATE rn PkgConfig::CMOCKA)
    add_dependencies(${b} refnode)
  endforeach()
  # the memory floor bench_rn_idle measures beside the nodes: the same
  # libraries as refnode, initialised the same way, and nothing else
  add_executable(bench_rn_floor ${CMAKE_CURRENT_LIST_DIR}/refnode/bench_rn_floor.c)
  lb_target_setup(bench_rn_floor)
  target_link_libraries(bench_rn_floor PRIVATE PkgConfig::MHD
                        PkgConfig::YAML PkgConfig::JANSSON PkgConfig::CRYPTO)
  target_link_options(bench_rn_floor PRIVATE -Wl,--as-needed)
  add_dependencies(bench_rn_idle bench_rn_floor)
endif()
