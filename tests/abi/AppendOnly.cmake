# cmake -DOLD=<gateway-abi-1.m.txt> -DNEW=<gateway-abi-1.n.txt> -P AppendOnly.cmake
# A later minor's manifest keeps every line of an earlier one, in order (SPEC section 10). Only
# the lines that name the version itself and the sizes of the structs that grow at the end
# (gw_host_api, gw_app, gw_config) may differ; each field line, constant and signature stays.
cmake_policy(SET CMP0007 NEW)
file(STRINGS "${OLD}" old_lines)
file(STRINGS "${NEW}" new_lines)
set(may_differ "^# |^  GW_ABI_VERSION(_MINOR)? |^struct (gw_host_api|gw_app|gw_config) size=")
list(FILTER old_lines EXCLUDE REGEX "${may_differ}")
list(FILTER new_lines EXCLUDE REGEX "${may_differ}")
list(LENGTH new_lines new_count)
set(at 0)
foreach(line IN LISTS old_lines)
    while(at LESS new_count)
        list(GET new_lines ${at} candidate)
        math(EXPR at "${at} + 1")
        if(candidate STREQUAL line)
            break()
        endif()
        # Lines may only be added at the end of a struct or a section: a skipped line here
        # means something was inserted before an existing one.
        if(NOT candidate MATCHES "^ +[0-9]+ +[0-9]+  " AND NOT candidate STREQUAL "")
            message(FATAL_ERROR "${NEW}: '${candidate}' inserted before '${line}'")
        endif()
    endwhile()
    if(NOT candidate STREQUAL line)
        message(FATAL_ERROR "${NEW} lost or changed a line of ${OLD}: '${line}'")
    endif()
endforeach()
message(STATUS "${NEW} keeps every line of ${OLD}")
