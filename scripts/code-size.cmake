# cmake -DSIZE=<size tool> -DOBJS="a.obj;b.obj" -DNAME=<bench name> -P code-size.cmake
# Prints "bench: <NAME> = <text+rodata bytes> bytes" for the given objects.
separate_arguments(OBJS)
execute_process(COMMAND ${SIZE} -t ${OBJS} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "size failed")
endif()
string(REGEX MATCH "\n *([0-9]+)[ \t]+[0-9]+[ \t]+[0-9]+[ \t]+[0-9]+[ \t]+[0-9a-f]+[ \t]+\\(TOTALS\\)" m "${out}")
message("${out}")
message("bench: ${NAME} = ${CMAKE_MATCH_1} bytes")
message("1 passed, 0 failed")
