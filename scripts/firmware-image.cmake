# SPDX-License-Identifier: MIT
# cmake -DELF=<fw.elf> -DMAP=<fw.map> -DOBJCOPY=<objcopy> -DOBJDUMP=<objdump> -P firmware-image.cmake
#
# After a firmware links (vt_add_firmware, cross boards): writes the images
# a flash programmer takes, <fw>.bin (raw bytes from the lowest load
# address) and <fw>.hex (Intel HEX), and prints where its bytes go in each
# memory region of the linker script, as vendor SDKs do:
#
#   gateway.elf          Region       Used        Size    Used%
#                        FLASH       61234 B   262144 B   23.4%   code+rodata 61000, .data image 234
#                        RAM         50642 B    65536 B   77.3%   data 234, bss 47360, stacks 2048; heap 14894 B
#
# A section counts where it is loaded (its load address: .data's initial
# values in flash) and, if it runs elsewhere, where it runs (.data in RAM).
# The heap is what the linker script leaves to malloc: shown, not counted.
get_filename_component(name ${ELF} NAME)
get_filename_component(base ${ELF} NAME_WLE)
get_filename_component(dir ${ELF} DIRECTORY)

execute_process(COMMAND ${OBJCOPY} -O ihex ${ELF} ${dir}/${base}.hex RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${name}: objcopy -O ihex failed")
endif()

# the memory regions, from the map's "Memory Configuration"
file(READ ${MAP} map)
string(REGEX MATCH "Memory Configuration.*Linker script and memory map" mem "${map}")
string(REGEX MATCHALL "\n[A-Za-z_][A-Za-z0-9_]* +0x[0-9a-fA-F]+ +0x[0-9a-fA-F]+" lines "${mem}")
set(regions)
foreach(l ${lines})
  string(REGEX MATCH "\n([A-Za-z0-9_]+) +(0x[0-9a-fA-F]+) +(0x[0-9a-fA-F]+)" _ "${l}")
  set(r ${CMAKE_MATCH_1})
  math(EXPR ${r}_org "${CMAKE_MATCH_2}")
  math(EXPR ${r}_len "${CMAKE_MATCH_3}")
  set(${r}_used 0)
  set(${r}_what "")
  list(APPEND regions ${r})
endforeach()

function(region_of addr out)
  set(found "")
  foreach(r ${regions})
    math(EXPR end "${${r}_org} + ${${r}_len}")
    if(addr GREATER_EQUAL ${r}_org AND addr LESS end)
      set(found ${r})
      break()
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# @p bytes used in @p region, listed as "@p label bytes"
macro(count region bytes label)
  math(EXPR ${region}_used "${${region}_used} + ${bytes}")
  list(APPEND ${region}_what "${label} ${bytes}")
endmacro()

# the sections: name, size, run address (VMA), load address (LMA), flags
execute_process(COMMAND ${OBJDUMP} -h ${ELF} OUTPUT_VARIABLE hdr RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${name}: objdump -h failed")
endif()
string(REGEX MATCHALL "[0-9]+ [^ \n]+ +[0-9a-f]+ +[0-9a-f]+ +[0-9a-f]+ +[0-9a-f]+ +2\\*\\*[0-9]+\n[^\n]*" secs "${hdr}")
set(heap 0)
set(lo "")
set(hi 0)
foreach(s ${secs})
  string(REGEX MATCH "[0-9]+ ([^ \n]+) +([0-9a-f]+) +([0-9a-f]+) +([0-9a-f]+) +[0-9a-f]+ +2\\*\\*[0-9]+\n([^\n]*)" _ "${s}")
  set(sec ${CMAKE_MATCH_1})
  math(EXPR size "0x${CMAKE_MATCH_2}")
  math(EXPR vma "0x${CMAKE_MATCH_3}")
  math(EXPR lma "0x${CMAKE_MATCH_4}")
  set(flags "${CMAKE_MATCH_5}")
  if(NOT flags MATCHES "ALLOC" OR size EQUAL 0)
    continue()
  endif()
  region_of(${vma} vreg)
  if(sec STREQUAL ".heap")
    set(heap ${size})
    continue()
  endif()
  if(flags MATCHES "LOAD")
    region_of(${lma} lreg)
    if(lo STREQUAL "" OR lma LESS lo)
      set(lo ${lma})
    endif()
    math(EXPR e "${lma} + ${size}")
    if(e GREATER hi)
      set(hi ${e})
    endif()
    if(lreg AND vreg STREQUAL lreg)
      count(${lreg} ${size} "${sec}")
    elseif(lreg) # runs elsewhere (.data): its image here, its copy in RAM
      count(${lreg} ${size} "${sec} image")
    endif()
    if(vreg AND NOT vreg STREQUAL lreg)
      count(${vreg} ${size} "${sec}")
    endif()
  elseif(vreg)
    count(${vreg} ${size} "${sec}")
  endif()
endforeach()

# the raw image, from the lowest load address to the highest: only when
# that is a flash-sized span (a RAM-loaded image split across distant
# regions would be mostly gap; its .hex says it all)
if(NOT lo STREQUAL "")
  math(EXPR span "${hi} - ${lo}")
  if(span LESS 67108864)
    execute_process(COMMAND ${OBJCOPY} -O binary ${ELF} ${dir}/${base}.bin RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "${name}: objcopy -O binary failed")
    endif()
  else()
    file(REMOVE ${dir}/${base}.bin)
    message("${name}: no .bin (its loadable sections span ${span} bytes); ${base}.hex holds the image")
  endif()
endif()

# no .heap section (RISC-V's script): the heap is between two symbols
if(heap EQUAL 0)
  execute_process(COMMAND ${OBJDUMP} -t ${ELF} OUTPUT_VARIABLE syms)
  string(REGEX MATCH "([0-9a-f]+)[^\n]* __heap_start\n" _ "${syms}")
  set(hs "${CMAKE_MATCH_1}")
  string(REGEX MATCH "([0-9a-f]+)[^\n]* __heap_end\n" _ "${syms}")
  set(he "${CMAKE_MATCH_1}")
  if(hs AND he)
    math(EXPR heap "0x${he} - 0x${hs}")
  endif()
endif()

# @p value right-aligned in 10 columns, into @p out
function(right10 out value)
  set(v "          ${value}")
  string(LENGTH "${v}" n)
  math(EXPR n "${n} - 10")
  string(SUBSTRING "${v}" ${n} 10 v)
  set(${out} "${v}" PARENT_SCOPE)
endfunction()

set(out "${name}: memory use (bytes)\n  Region        Used      Size  Used%\n")
foreach(r ${regions})
  if(${r}_used EQUAL 0)
    continue()
  endif()
  math(EXPR pm "${${r}_used} * 1000 / ${${r}_len}")
  math(EXPR pi "${pm} / 10")
  math(EXPR pf "${pm} % 10")
  string(REPLACE ";" ", " what "${${r}_what}")
  set(line "  ${r}                    ")
  string(SUBSTRING "${line}" 0 10 line)
  right10(u ${${r}_used})
  right10(z ${${r}_len})
  string(APPEND out "${line}${u}${z}  ${pi}.${pf}%  ${what}\n")
endforeach()
string(APPEND out "  heap (what malloc gets): ${heap}")
message("${out}")
