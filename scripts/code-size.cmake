# SPDX-License-Identifier: MIT
# cmake -DSIZE=<size tool> -DOBJS="a.obj;b.obj" -DNAME=<bench name> [-DCEILING=<bytes>] -P code-size.cmake
# Prints "bench: <NAME> = <text+rodata bytes> bytes" for the given objects
# and fails past CEILING when one is given.
separate_arguments(OBJS)
execute_process(COMMAND ${SIZE} -t ${OBJS} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "size failed")
endif()
string(REGEX MATCH "\n *([0-9]+)[ \t]+[0-9]+[ \t]+[0-9]+[ \t]+[0-9]+[ \t]+[0-9a-f]+[ \t]+\\(TOTALS\\)" m "${out}")
message("${out}")
set(bytes ${CMAKE_MATCH_1})
message("bench: ${NAME} = ${bytes} bytes")
if(CEILING AND bytes GREATER CEILING)
  message("FAIL ${NAME}: ${bytes} bytes, past the ceiling of ${CEILING}")
  message("0 passed, 1 failed")
  message(FATAL_ERROR "${NAME} past its ceiling")
endif()
if(CEILING)
  message("ok   ${NAME}: ${bytes} bytes (ceiling ${CEILING})")
endif()
message("1 passed, 0 failed")
