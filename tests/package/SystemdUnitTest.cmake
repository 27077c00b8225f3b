# cmake -DPACKAGING_DIR=... -DGATEWAY=<built gateway> -P SystemdUnitTest.cmake
#
# packaging/gateway.service: `systemd-analyze verify` finds nothing to say about it (a copy whose
# ExecStart names the built server, since /usr/bin/gateway need not exist here; skipped where
# systemd-analyze is not installed), and it agrees with packaging/gateway.ini: the pid file lies in
# the unit's RuntimeDirectory, and systemd waits longer than the shutdown grace before SIGKILL.
cmake_minimum_required(VERSION 3.25)

file(READ "${PACKAGING_DIR}/gateway.service" unit)
file(READ "${PACKAGING_DIR}/gateway.ini" ini)

function(value_of var text key)
    if(NOT text MATCHES "\n${key} *= *([^\n]*)")
        message(FATAL_ERROR "no ${key} in:\n${text}")
    endif()
    set(${var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()

# seconds(<var> <duration>): "30s", "2m", "500ms", "10" (gateway's and systemd's common forms).
function(seconds var duration)
    if(duration MATCHES "^([0-9]+)ms$")
        math(EXPR s "${CMAKE_MATCH_1} / 1000")
    elseif(duration MATCHES "^([0-9]+)m(in)?$")
        math(EXPR s "${CMAKE_MATCH_1} * 60")
    elseif(duration MATCHES "^([0-9]+)s?$")
        set(s "${CMAKE_MATCH_1}")
    else()
        message(FATAL_ERROR "cannot read the duration '${duration}'")
    endif()
    set(${var} ${s} PARENT_SCOPE)
endfunction()

# --- in step with gateway.ini -----------------------------------------------------------------
value_of(type "${unit}" Type)
if(NOT type STREQUAL "notify")
    message(FATAL_ERROR "gateway.service: Type=${type}, expected notify (gateway sends READY=1)")
endif()
value_of(runtime_directory "${unit}" RuntimeDirectory)
value_of(pid_file "${ini}" pidfile)
if(NOT pid_file MATCHES "^/run/${runtime_directory}/[^/]+$")
    message(FATAL_ERROR "gateway.ini's pidfile ${pid_file} is not in the unit's "
                        "RuntimeDirectory=${runtime_directory} (/run/${runtime_directory})")
endif()
value_of(stop_timeout "${unit}" TimeoutStopSec)
value_of(grace "${ini}" shutdown-grace)
seconds(stop_seconds "${stop_timeout}")
seconds(grace_seconds "${grace}")
# The master kills a worker still draining 2 s after the grace: systemd must wait longer.
math(EXPR needed "${grace_seconds} + 2")
if(NOT stop_seconds GREATER needed)
    message(FATAL_ERROR "TimeoutStopSec=${stop_timeout} does not outlast shutdown-grace = ${grace}")
endif()

# --- systemd-analyze verify --------------------------------------------------------------------
find_program(SYSTEMD_ANALYZE systemd-analyze)
if(NOT SYSTEMD_ANALYZE)
    message(STATUS "SKIPPED: systemd-analyze is not installed, gateway.service was not verified")
    return()
endif()
string(RANDOM LENGTH 8 ALPHABET abcdefghijklmnopqrstuvwxyz0123456789 tag)
set(scratch "/tmp/gateway-unit-${tag}")
string(REPLACE "\nExecStart=/usr/bin/gateway " "\nExecStart=${GATEWAY} " built_unit "${unit}")
if(built_unit STREQUAL unit)
    message(FATAL_ERROR "gateway.service does not start /usr/bin/gateway:\n${unit}")
endif()
file(WRITE "${scratch}/gateway.service" "${built_unit}")
execute_process(COMMAND "${SYSTEMD_ANALYZE}" verify "${scratch}/gateway.service"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 50)
file(REMOVE_RECURSE "${scratch}")
# Warnings (an unknown key, a bad value) do not change the exit code: any line about the unit fails.
string(REGEX MATCHALL "[^\n]*gateway\\.service[^\n]*" complaints "${out}\n${err}")
if(NOT rc EQUAL 0 OR complaints)
    message(FATAL_ERROR "systemd-analyze verify gateway.service (${rc}):\n${out}\n${err}")
endif()
message(STATUS "gateway.service verified; pid file ${pid_file}, TimeoutStopSec=${stop_timeout}")
