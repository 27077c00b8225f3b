# cmake -DBUILD_DIR=... -DRECIPE_DIR=... [-DGENERATOR=...] [-DCXX_COMPILER=...] -P RecipeTest.cmake
# Installs the SDK of BUILD_DIR (component sdk) into a scratch prefix under /tmp and builds
# RECIPE_DIR against it. With -DSDK_SOURCE_DIR=<sdk/> instead of BUILD_DIR, configures and
# installs the SDK alone (`cmake -S sdk`), which must look for nothing (no Poco, no GoogleTest)
# and enable no language. With -DSDK_PREFIX=DIR, uses the SDK found there (e.g. the
# gateway-sdk-dev package unpacked by tests/package). -DPLUGIN_OUT=DIR copies the built myapp.so
# there. Every way, the package's version must be the ABI version of the installed gateway.h.
string(RANDOM LENGTH 8 ALPHABET abcdefghijklmnopqrstuvwxyz0123456789 tag)
set(scratch "/tmp/gateway-sdk-recipe-${tag}")
set(prefix "${scratch}/prefix")
if(SDK_PREFIX)
    set(prefix "${SDK_PREFIX}")
endif()
file(MAKE_DIRECTORY "${scratch}")

function(fail message)
    file(REMOVE_RECURSE "${scratch}")
    message(FATAL_ERROR "${message}")
endfunction()

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        fail("${what} failed (${rc}):\n${out}\n${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

set(gen_args)
if(GENERATOR)
    set(gen_args -G "${GENERATOR}")
endif()

if(SDK_SOURCE_DIR)
    run("configure the SDK alone" ${CMAKE_COMMAND} -S "${SDK_SOURCE_DIR}" -B "${scratch}/sdk-build"
        ${gen_args})
    # Nothing looked for, no compiler asked: find_package leaves <Name>_DIR (or, in module mode,
    # its own variables) in the cache, and enabling a language leaves CMAKE_<LANG>_COMPILER.
    file(STRINGS "${scratch}/sdk-build/CMakeCache.txt" looked_up
        REGEX "^[A-Za-z0-9_]*(_DIR:PATH=|_COMPILER:|Poco|POCO|GTest|GTEST)")
    if(NOT looked_up STREQUAL "")  # not if(looked_up): "...-NOTFOUND" is false
        fail("configuring sdk/ alone looked for packages or a compiler: ${looked_up}")
    endif()
    run("install the SDK alone" ${CMAKE_COMMAND} --install "${scratch}/sdk-build"
        --prefix "${prefix}")
elseif(NOT SDK_PREFIX)
    run("install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --component sdk --prefix "${prefix}")
endif()
if(NOT SDK_PREFIX)
    # The SDK alone: nothing of the server (component runtime) comes with it.
    foreach(f bin lib/gateway lib/systemd share/gateway etc)
        if(EXISTS "${prefix}/${f}")
            fail("installing the SDK installed ${f} (the server's)")
        endif()
    endforeach()
endif()
foreach(f include/gateway/gateway.h include/gateway/app.hpp include/gateway/testing.hpp
          include/gateway/detail/http_lexer.hpp include/gateway/detail/units.hpp
          lib/cmake/GatewaySDK/GatewaySDKConfig.cmake
          lib/cmake/GatewaySDK/GatewaySDKConfigVersion.cmake share/pkgconfig/gateway-sdk.pc
          share/doc/gateway-sdk-dev/SPEC.md share/gateway-sdk/templates/cpp/CMakeLists.txt
          share/gateway-sdk/templates/c/CMakeLists.txt)
    if(NOT EXISTS "${prefix}/${f}")
        file(GLOB_RECURSE got RELATIVE "${prefix}" "${prefix}/*")
        fail("not installed: ${f}\ninstalled: ${got}")
    endif()
endforeach()

# The installed headers alone are enough for a test of an app: testing.hpp and the detail
# header it shares with the gateway.
if(CXX_COMPILER)
    file(WRITE "${scratch}/testing_only.cpp" "#include \"gateway/testing.hpp\"\n")
    run("testing.hpp from the install" ${CXX_COMPILER} -std=c++17 -fsyntax-only
        -I "${prefix}/include" "${scratch}/testing_only.cpp")
endif()

# The package's version is the ABI version of the installed gateway.h, as the compiler reads it,
# with SameMajorVersion: find_package(GatewaySDK M.m) takes it, so does M.0; M.(m+1) and
# (M+1).0 do not.
if(CXX_COMPILER)
    file(WRITE "${scratch}/abi.cpp" "#include \"gateway/gateway.h\"\nabi=GW_ABI_VERSION_MAJOR/GW_ABI_VERSION_MINOR\n")
    run("read gateway.h's ABI version" ${CXX_COMPILER} -E -P -I "${prefix}/include" "${scratch}/abi.cpp")
    if(NOT last_output MATCHES "abi *= *([0-9]+) */ *([0-9]+)")
        fail("no ABI version in the preprocessed gateway.h:\n${last_output}")
    endif()
    set(major ${CMAKE_MATCH_1})
    set(minor ${CMAKE_MATCH_2})
    math(EXPR next_minor "${minor} + 1")
    math(EXPR next_major "${major} + 1")

    # find_sdk(<wanted version> <result var>): 0 and GatewaySDK_VERSION in found_version, or 1.
    function(find_sdk wanted result)
        set(probe "${scratch}/probe-${wanted}")
        file(WRITE "${probe}/CMakeLists.txt" "cmake_minimum_required(VERSION 3.18)
project(probe LANGUAGES NONE)
find_package(GatewaySDK ${wanted} REQUIRED)
message(STATUS \"found GatewaySDK \${GatewaySDK_VERSION} ABI \${GatewaySDK_ABI_VERSION}\")
")
        execute_process(COMMAND ${CMAKE_COMMAND} -S "${probe}" -B "${probe}/build"
            "-DCMAKE_PREFIX_PATH=${prefix}" RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
        string(REGEX MATCH "found GatewaySDK [^\n]*" found "${out}")
        set(found_version "${found}" PARENT_SCOPE)
        set(${result} ${rc} PARENT_SCOPE)
    endfunction()
    find_sdk(${major}.${minor} rc)
    if(NOT rc EQUAL 0 OR NOT found_version STREQUAL "found GatewaySDK ${major}.${minor} ABI ${major}.${minor}")
        fail("find_package(GatewaySDK ${major}.${minor}) (gateway.h's ABI version): rc ${rc}, '${found_version}'")
    endif()
    find_sdk(${major}.0 rc)
    if(NOT rc EQUAL 0)
        fail("find_package(GatewaySDK ${major}.0) failed against SDK ${major}.${minor}")
    endif()
    foreach(newer ${major}.${next_minor} ${next_major}.0)
        find_sdk(${newer} rc)
        if(rc EQUAL 0)
            fail("find_package(GatewaySDK ${newer}) accepted SDK ${major}.${minor}")
        endif()
    endforeach()
endif()

# The recipe, copied out of the source tree.
file(COPY "${RECIPE_DIR}/" DESTINATION "${scratch}/src")
if(CXX_COMPILER)
    list(APPEND gen_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
run("configure" ${CMAKE_COMMAND} -S "${scratch}/src" -B "${scratch}/build" ${gen_args}
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
run("build" ${CMAKE_COMMAND} --build "${scratch}/build")

set(so "${scratch}/build/myapp.so")
if(NOT EXISTS "${so}")
    fail("no ${so} (a MODULE without the lib prefix)")
endif()
run("nm" nm -D --defined-only "${so}")
string(REGEX MATCHALL "[^\n]+" lines "${last_output}")
set(symbols)
foreach(line IN LISTS lines)
    string(REGEX REPLACE "^.* " "" sym "${line}")
    list(APPEND symbols "${sym}")
endforeach()
if(NOT symbols STREQUAL "gw_app_entry")
    fail("myapp.so exports [${symbols}], expected exactly gw_app_entry")
endif()

# pkg-config, if present: relocatable prefix, headers found.
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
    set(ENV{PKG_CONFIG_PATH} "${prefix}/share/pkgconfig")
    run("pkg-config" ${PKG_CONFIG} --cflags gateway-sdk)
    string(STRIP "${last_output}" cflags)
    string(REGEX REPLACE "^-I" "" incdir "${cflags}")
    if(NOT EXISTS "${incdir}/gateway/gateway.h")
        fail("pkg-config --cflags gave '${cflags}': no gateway/gateway.h there")
    endif()
    if(major)
        run("pkg-config --modversion" ${PKG_CONFIG} --modversion gateway-sdk)
        string(STRIP "${last_output}" modversion)
        if(NOT modversion STREQUAL "${major}.${minor}")
            fail("pkg-config --modversion gateway-sdk is '${modversion}', not gateway.h's ${major}.${minor}")
        endif()
    endif()
endif()

if(PLUGIN_OUT)
    file(COPY "${so}" DESTINATION "${PLUGIN_OUT}")
endif()
file(REMOVE_RECURSE "${scratch}")
message(STATUS "recipe ok: myapp.so exports gw_app_entry only")
