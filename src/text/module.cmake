# src/text/module.cmake - included by the top-level CMakeLists.txt.
# Builds gen_fold (linked with ICU) and runs it to write the fold table
# that the runtime normaliser reads; the library itself makes no ICU call
# on the hot path.

set(AR_TEXT_GEN_DIR ${PROJECT_BINARY_DIR}/generated)
set(AR_TEXT_FOLD_TABLE ${AR_TEXT_GEN_DIR}/fold_table.c)

add_executable(ar_text_gen_fold ${CMAKE_CURRENT_LIST_DIR}/gen_fold.c)
# The generator runs at build time only: no sanitizers or fuzzer
# instrumentation from the directory-wide options (they would only slow it
# down, and LeakSanitizer would count ICU's caches).
set_property(TARGET ar_text_gen_fold PROPERTY COMPILE_OPTIONS ${AR_WARNINGS})
set_property(TARGET ar_text_gen_fold PROPERTY LINK_OPTIONS "")
target_include_directories(ar_text_gen_fold PRIVATE
  ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
target_link_libraries(ar_text_gen_fold PRIVATE PkgConfig::ICU)

add_custom_command(
  OUTPUT ${AR_TEXT_FOLD_TABLE}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${AR_TEXT_GEN_DIR}
  COMMAND ar_text_gen_fold ${AR_TEXT_FOLD_TABLE}
  DEPENDS ar_text_gen_fold ${CMAKE_CURRENT_LIST_DIR}/text_int.h
  COMMENT "Generating the text fold table from ICU"
  VERBATIM)
list(APPEND AR_LIB_GENERATED ${AR_TEXT_FOLD_TABLE})

# The top-level build instruments only the fuzz driver for libFuzzer; give
# the text sources coverage too, so fuzz_text_normalize can steer into them.
if(ARBITER_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
  file(GLOB _ar_text_src CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.c)
  list(FILTER _ar_text_src EXCLUDE REGEX "/gen_[^/]*\\.c$")
  set_source_files_properties(${_ar_text_src} PROPERTIES COMPILE_OPTIONS -fsanitize=fuzzer-no-link)
endif()
