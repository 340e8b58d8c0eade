# Board "host": the kernel in a Linux process (fast tests, sanitizers).
set(VT_ARCH host)
set(VT_CPU_FLAGS "")
set(VT_BOARD_SOURCES ${CMAKE_CURRENT_LIST_DIR}/board.c)
set(VT_BOARD_LIBS rt)
set(VT_LINKER_SCRIPT "")
set(VT_EMULATOR "")
