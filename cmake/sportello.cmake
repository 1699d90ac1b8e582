# Build settings shared by every target, kept on INTERFACE targets so that each
# target opts in explicitly and nothing leaks project-wide.
add_library(sportello_warnings INTERFACE)
target_compile_options(sportello_warnings INTERFACE -Wall -Wextra -Wno-unused-parameter)

add_library(sportello_sanitizers INTERFACE)
if(SPORTELLO_SANITIZE)
  target_compile_options(sportello_sanitizers INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(sportello_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# lld links the gRPC-heavy binaries several times faster than GNU ld.
include(CheckLinkerFlag)
check_linker_flag(CXX -fuse-ld=lld SPORTELLO_HAS_LLD)
if(SPORTELLO_HAS_LLD)
  add_link_options(-fuse-ld=lld)
endif()

# sportello_embed_migrations(<target> <schema> <dir>)
# Compiles every <dir>/NNNN_*.sql into <target> as a sorted list returned by
# sportello::<schema>::Migrations(), so a binary carries its own schema.
function(sportello_embed_migrations target schema dir)
  file(GLOB sql_files CONFIGURE_DEPENDS "${dir}/[0-9][0-9][0-9][0-9]_*.sql")
  list(SORT sql_files)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${schema}_migrations.cpp")
  # "|" separates the files: a ";" would split the argument.
  list(JOIN sql_files "|" files_arg)
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DSCHEMA=${schema} -DOUT=${out} "-DFILES=${files_arg}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_sql.cmake"
    DEPENDS ${sql_files} "${PROJECT_SOURCE_DIR}/cmake/embed_sql.cmake"
    COMMENT "Embedding ${schema} migrations"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()

# sportello_embed_file(<target> <symbol> <file>): the file's bytes as
# `std::string_view sportello::embedded::<symbol>()`.
function(sportello_embed_file target symbol file)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${symbol}_embedded.cpp")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DSYMBOL=${symbol} -DOUT=${out} -DIN=${file}
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_sql.cmake"
    DEPENDS "${file}" "${PROJECT_SOURCE_DIR}/cmake/embed_sql.cmake"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
