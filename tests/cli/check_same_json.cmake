# check_same_json.cmake — runs two salespipe commands that write JSON to stdout and checks
# that one part of each is the same JSON text (same inputs, same code: equal to the bit):
#   cmake -DEXE=bin -DARGS_A=a|b -DKEY_A=k.k -DARGS_B=a|b -DKEY_B=k.k -P check_same_json.cmake
# KEY_* are dotted paths (array indices as numbers). Used to show that `report --budget`
# prints the allocation of `key-links --budget` for the same KPI.
foreach(_side A B)
  string(REPLACE "|" ";" _args "${ARGS_${_side}}")
  execute_process(COMMAND "${EXE}" ${_args} RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "command: ${EXE} ${ARGS_${_side}}\nexit ${_rc}\nstderr:\n${_err}")
  endif()
  string(REPLACE "." ";" _path "${KEY_${_side}}")
  string(JSON _part_${_side} ERROR_VARIABLE _jerr GET "${_out}" ${_path})
  if(_jerr)
    message(FATAL_ERROR "command: ${EXE} ${ARGS_${_side}}\nits JSON has no ${KEY_${_side}}: ${_jerr}")
  endif()
endforeach()
if(NOT _part_A STREQUAL _part_B)
  message(FATAL_ERROR "${KEY_A} of '${ARGS_A}':\n${_part_A}\ndiffers from ${KEY_B} of '${ARGS_B}':\n${_part_B}")
endif()
message(STATUS "ok: ${KEY_A} of '${ARGS_A}' = ${KEY_B} of '${ARGS_B}'")
