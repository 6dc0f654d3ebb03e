# Rewrites completions/ from `oex completion SHELL` (the `completions` target):
#   cmake -DOEX=path/to/oex -DDIR=completions -P WriteCompletions.cmake
foreach(pair "bash;oex.bash" "zsh;_oex" "fish;oex.fish")
  list(GET pair 0 shell)
  list(GET pair 1 file)
  execute_process(COMMAND ${OEX} completion ${shell} OUTPUT_FILE ${DIR}/${file}
                  RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "oex completion ${shell} failed: ${status}")
  endif()
endforeach()
message(STATUS "wrote ${DIR}/oex.bash, _oex and oex.fish")
