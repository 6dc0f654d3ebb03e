# oex_embed_defs(OUTPUT <file.cpp> FILES <json>...)
# Generates a C++ source that holds the given files as byte arrays, so the catalog is part of the
# binary. The generation runs again whenever a definition file changes.
function(oex_embed_defs)
  cmake_parse_arguments(ARG "" "OUTPUT" "FILES" ${ARGN})
  add_custom_command(
    OUTPUT ${ARG_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} "-DFILES=${ARG_FILES}"
            -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedDefsScript.cmake
    DEPENDS ${ARG_FILES} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/EmbedDefsScript.cmake
    COMMENT "Embedding event definitions"
    VERBATIM)
endfunction()
