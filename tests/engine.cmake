# Tests of the engine (src/engine) and the CLI (src/cli).

# The CCK samples' step definitions, one loadable library each
# (build/cck/cck_<sample>.so), for the conformance test below.
file(GLOB lb_cck_step_srcs CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_LIST_DIR}/conformance/cck/steps/*.c)
set(lb_cck_libs)
foreach(src ${lb_cck_step_srcs})
  get_filename_component(sample ${src} NAME_WE)
  add_library(cck_${sample} MODULE ${src})
  lb_target_setup(cck_${sample})
  target_compile_options(cck_${sample} PRIVATE -Wno-missing-prototypes)
  set_target_properties(cck_${sample} PROPERTIES PREFIX ""
    OUTPUT_NAME cck_${sample}
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/cck)
  list(APPEND lb_cck_libs cck_${sample})
endforeach()



lb_add_test(test_cli SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_cli.c
            ${PROJECT_SOURCE_DIR}/src/cli/options.c
            LABELS unit LIBS lbcore)
