# cmake -DBUILD_DIR=... -DCPACK=... -DRECIPE_TEST=... -DRECIPE_DIR=... [-DGENERATOR=...]
#       [-DCXX_COMPILER=...] -P PackageTest.cmake
#
# The two Debian packages of BUILD_DIR, as an operator and a plugin author get them: cpack builds
# them into a scratch folder under /tmp; their control fields and file lists are checked (the server
# only in gateway, headers only in gateway-sdk-dev); both are unpacked into a scratch root with
# `dpkg -x`, a plugin is built out of tree against the unpacked SDK (the README recipe,
# RECIPE_TEST) into the unpacked apps folder, and the unpacked server tests the unpacked
# /etc/gateway/gateway.ini (paths moved into the root) with `gateway -t`: every example app and the
# new one must be served. Then the runtime component alone is installed with `cmake --install
# --prefix` and its own gateway.ini must pass `gateway -t` as installed.
cmake_minimum_required(VERSION 3.25)
string(RANDOM LENGTH 8 ALPHABET abcdefghijklmnopqrstuvwxyz0123456789 tag)
set(scratch "/tmp/gateway-package-${tag}")
set(root "${scratch}/root")
file(MAKE_DIRECTORY "${root}")

set(example_apps hello hello_c echo form stream notes)

function(fail message)
    file(REMOVE_RECURSE "${scratch}")
    message(FATAL_ERROR "${message}")
endfunction()

# run(<what> <command>...): the command's stdout in last_output; fails the test unless it exits 0.
function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
        TIMEOUT 120)
    if(NOT rc EQUAL 0)
        fail("${what} failed (${rc}):\n${out}\n${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

foreach(tool dpkg-deb dpkg dpkg-shlibdeps file)
    find_program(found_${tool} ${tool})
    if(NOT found_${tool})
        fail("${tool} is missing: .ci/setup installs it (packages dpkg-dev and file)")
    endif()
endforeach()

# --- build the packages ---------------------------------------------------------------------------
run("cpack" "${CPACK}" -G DEB --config "${BUILD_DIR}/CPackConfig.cmake" -B "${scratch}/out")
file(GLOB runtime_deb "${scratch}/out/gateway_*.deb")
file(GLOB sdk_deb "${scratch}/out/gateway-sdk-dev_*.deb")
list(LENGTH runtime_deb runtime_count)
list(LENGTH sdk_deb sdk_count)
if(NOT runtime_count EQUAL 1 OR NOT sdk_count EQUAL 1)
    file(GLOB made RELATIVE "${scratch}/out" "${scratch}/out/*.deb")
    fail("expected gateway_*.deb and gateway-sdk-dev_*.deb, cpack made: ${made}")
endif()

# field(<var> <deb> <field>): the control field's value, "" when absent.
function(field var deb name)
    run("dpkg-deb -f" dpkg-deb -f "${deb}" "${name}")
    string(STRIP "${last_output}" value)
    set(${var} "${value}" PARENT_SCOPE)
endfunction()

# --- control fields -------------------------------------------------------------------------------
field(package "${runtime_deb}" Package)
field(depends "${runtime_deb}" Depends)
field(arch "${runtime_deb}" Architecture)
if(NOT package STREQUAL "gateway" OR arch STREQUAL "all" OR arch STREQUAL "")
    fail("runtime package: Package '${package}', Architecture '${arch}'")
endif()
# Computed by dpkg-shlibdeps from the ELF files: the server links Poco and libstdc++.
foreach(library libc6 libstdc\\+\\+6 libpocofoundation[0-9]+ libpoconet[0-9]+ libpocoutil[0-9]+)
    if(NOT depends MATCHES "(^|, )${library} ")
        fail("gateway's Depends lacks ${library}: '${depends}'")
    endif()
endforeach()
run("dpkg-deb -I conffiles" dpkg-deb -I "${runtime_deb}" conffiles)
foreach(conffile /etc/gateway/gateway.ini /etc/logrotate.d/gateway)
    if(NOT last_output MATCHES "(^|\n)${conffile}(\n|$)")
        fail("${conffile} is not a conffile of gateway (an upgrade would overwrite the operator's "
             "edits): ${last_output}")
    endif()
endforeach()

field(package "${sdk_deb}" Package)
field(depends "${sdk_deb}" Depends)
field(arch "${sdk_deb}" Architecture)
if(NOT package STREQUAL "gateway-sdk-dev" OR NOT arch STREQUAL "all" OR depends MATCHES "poco")
    fail("sdk package: Package '${package}', Architecture '${arch}' (headers only: all), "
         "Depends '${depends}' (nothing of the server's)")
endif()

# --- file lists -----------------------------------------------------------------------------------
# files(<var> <deb>): the regular files of the package, as paths without the leading "./".
function(files var deb)
    run("dpkg-deb -c" dpkg-deb -c "${deb}")
    string(REGEX MATCHALL "(^|\n)-[^\n]* \\./[^\n]*" lines "${last_output}")
    set(paths)
    foreach(line IN LISTS lines)
        string(REGEX REPLACE "^.* \\./" "" path "${line}")
        list(APPEND paths "${path}")
    endforeach()
    set(${var} "${paths}" PARENT_SCOPE)
endfunction()

files(runtime_files "${runtime_deb}")
files(sdk_files "${sdk_deb}")

set(runtime_expected usr/bin/gateway usr/share/gateway/docroot/index.html
    etc/gateway/gateway.ini usr/lib/systemd/system/gateway.service etc/logrotate.d/gateway)
foreach(app IN LISTS example_apps)
    list(APPEND runtime_expected usr/lib/gateway/apps/${app}.so)
endforeach()
foreach(f IN LISTS runtime_expected)
    if(NOT f IN_LIST runtime_files)
        fail("gateway lacks ${f}; it holds: ${runtime_files}")
    endif()
endforeach()
foreach(f IN LISTS runtime_files)
    if(f MATCHES "^usr/include/|GatewaySDK|\\.pc$|SPEC\\.md$|^usr/share/gateway-sdk/")
        fail("gateway holds a file of the SDK: ${f}")
    endif()
endforeach()

foreach(f usr/include/gateway/gateway.h usr/include/gateway/app.hpp
          usr/include/gateway/testing.hpp usr/lib/cmake/GatewaySDK/GatewaySDKConfig.cmake
          usr/share/pkgconfig/gateway-sdk.pc usr/share/doc/gateway-sdk-dev/SPEC.md
          usr/share/gateway-sdk/templates/cpp/CMakeLists.txt)
    if(NOT f IN_LIST sdk_files)
        fail("gateway-sdk-dev lacks ${f}; it holds: ${sdk_files}")
    endif()
endforeach()
# Only headers, how to find them and the app templates: nothing of the server.
foreach(f IN LISTS sdk_files)
    if(NOT f MATCHES "^usr/(include/gateway/|lib/cmake/GatewaySDK/|share/pkgconfig/|share/doc/gateway-sdk-dev/|share/gateway-sdk/templates/)")
        fail("gateway-sdk-dev holds ${f}, which is not the SDK's")
    endif()
endforeach()

# --- unpack both into a scratch root --------------------------------------------------------------
run("dpkg -x gateway" dpkg -x "${runtime_deb}" "${root}")
run("dpkg -x gateway-sdk-dev" dpkg -x "${sdk_deb}" "${root}")

# The unit starts the packaged server with the packaged config.
file(READ "${root}/usr/lib/systemd/system/gateway.service" unit)
if(NOT unit MATCHES "\nExecStart=([^ \n]+)([^\n]*)")
    fail("gateway.service has no ExecStart:\n${unit}")
endif()
set(exec_binary "${CMAKE_MATCH_1}")
set(exec_arguments "${CMAKE_MATCH_2}")
string(REGEX REPLACE "^/" "" exec_binary_file "${exec_binary}")
if(NOT exec_binary_file IN_LIST runtime_files)
    fail("gateway.service starts ${exec_binary}, which the package does not hold")
endif()
if(exec_arguments MATCHES "--config[ =]([^ ]+)")
    string(REGEX REPLACE "^/" "" config_file "${CMAKE_MATCH_1}")
    if(NOT config_file IN_LIST runtime_files)
        fail("gateway.service reads ${CMAKE_MATCH_1}, which the package does not hold")
    endif()
endif()

# The logrotate snippet works on the files the config names, where it names them.
file(READ "${root}/etc/gateway/gateway.ini" ini)
file(READ "${root}/etc/logrotate.d/gateway" logrotate)
if(logrotate MATCHES "(/[^ \"'\n]+\\.pid)")
    set(pid_file "${CMAKE_MATCH_1}")
    if(NOT ini MATCHES "\npidfile = ${pid_file}\n")
        fail("the logrotate snippet signals the pid in ${pid_file}; gateway.ini's pidfile differs")
    endif()
endif()
if(logrotate MATCHES "(^|\n)(/[^ *\n]+)/\\*")
    set(log_dir "${CMAKE_MATCH_2}")
    if(NOT ini MATCHES "\naccess-log = ${log_dir}/[^\n/]+\n")
        fail("the logrotate snippet rotates ${log_dir}/*; gateway.ini's access-log is elsewhere")
    endif()
endif()

# --- a plugin built out of tree against the unpacked SDK, into the unpacked apps folder -----------
run("the README recipe against gateway-sdk-dev" ${CMAKE_COMMAND}
    "-DSDK_PREFIX=${root}/usr" "-DRECIPE_DIR=${RECIPE_DIR}" "-DGENERATOR=${GENERATOR}"
    "-DCXX_COMPILER=${CXX_COMPILER}" "-DPLUGIN_OUT=${root}/usr/lib/gateway/apps"
    -P "${RECIPE_TEST}")

# check_config(<what> <gateway> <config> <prefix>): `gateway -t` passes, serving the example apps
# and myapp from <prefix>/lib/gateway/apps and the demo site from <prefix>/share/gateway/docroot.
function(check_config what gateway config prefix)
    set(apps ${example_apps} ${ARGN})
    run("${what}: gateway -t" "${gateway}" -t --config "${config}")
    set(summary "${last_output}")
    if(NOT summary MATCHES "the configuration is ok"
       OR NOT summary MATCHES "docroot: +${prefix}/share/gateway/docroot ")
        fail("${what}: gateway -t --config ${config}:\n${summary}")
    endif()
    foreach(app IN LISTS apps)
        if(NOT summary MATCHES "\n  /${app} → ${app} [^\n]*\\(${prefix}/lib/gateway/apps/${app}\\.so\\)")
            fail("${what}: gateway -t does not serve ${app} at /${app}:\n${summary}")
        endif()
    endforeach()
endfunction()

# The packaged config with its absolute paths moved into the root: the server, config, docroot and
# apps are the package's; the log and pid files would be the machine's.
string(REGEX REPLACE "\n([a-z-]+) = /" "\n\\1 = ${root}/" moved_ini "${ini}")
file(WRITE "${root}/etc/gateway/gateway.ini" "${moved_ini}")
file(MAKE_DIRECTORY "${root}/var/log/gateway" "${root}/run")
check_config("the packages" "${root}/usr/bin/gateway" "${root}/etc/gateway/gateway.ini"
    "${root}/usr" myapp)

# --- the runtime component by cmake --install, without cpack: its config fits its prefix as is ---
set(prefix "${scratch}/runtime")
run("cmake --install --component runtime" ${CMAKE_COMMAND} --install "${BUILD_DIR}"
    --component runtime --prefix "${prefix}")
if(EXISTS "${prefix}/include")
    fail("installing the runtime component installed the SDK's headers")
endif()
file(READ "${prefix}/lib/systemd/system/gateway.service" unit)
if(NOT unit MATCHES "\nExecStart=${prefix}/bin/gateway [^\n]*--config[ =]${prefix}/etc/gateway/gateway.ini")
    fail("the unit installed into ${prefix} does not start ${prefix}'s server with its config:\n"
         "${unit}")
endif()
check_config("cmake --install --prefix" "${prefix}/bin/gateway" "${prefix}/etc/gateway/gateway.ini"
    "${prefix}")

file(REMOVE_RECURSE "${scratch}")
message(STATUS "packages ok: ${runtime_deb} and ${sdk_deb} built, checked, unpacked, run")
