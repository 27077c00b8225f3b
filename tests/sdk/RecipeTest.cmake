# cmake -DBUILD_DIR=... -DRECIPE_DIR=... [-DGENERATOR=...] [-DCXX_COMPILER=...] -P RecipeTest.cmake
# Installs the SDK of BUILD_DIR into a scratch prefix under /tmp and builds RECIPE_DIR against it.
# With -DSDK_PREFIX=DIR instead of BUILD_DIR, uses the SDK found there (e.g. the gateway-sdk-dev
# package unpacked by tests/package); -DPLUGIN_OUT=DIR copies the built myapp.so there.
string(RANDOM LENGTH 8 ALPHABET abcdefghijklmnopqrstuvwxyz0123456789 tag)
set(scratch "/tmp/gateway-sdk-recipe-${tag}")
set(prefix "${scratch}/prefix")
if(SDK_PREFIX)
    set(prefix "${SDK_PREFIX}")
endif()
file(MAKE_DIRECTORY "${scratch}")

function(run what)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        file(REMOVE_RECURSE "${scratch}")
        message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
    endif()
    set(last_output "${out}" PARENT_SCOPE)
endfunction()

if(NOT SDK_PREFIX)
    run("install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --component sdk --prefix "${prefix}")
    # The SDK alone: nothing of the server (component runtime) comes with it.
    foreach(f bin lib/gateway lib/systemd share/gateway etc)
        if(EXISTS "${prefix}/${f}")
            file(REMOVE_RECURSE "${scratch}")
            message(FATAL_ERROR "installing the SDK installed ${f} (the server's)")
        endif()
    endforeach()
endif()
foreach(f include/gateway/gateway.h include/gateway/app.hpp include/gateway/testing.hpp
          include/gateway/detail/http_lexer.hpp include/gateway/detail/units.hpp
          lib/cmake/GatewaySDK/GatewaySDKConfig.cmake
          lib/cmake/GatewaySDK/GatewaySDKConfigVersion.cmake share/pkgconfig/gateway-sdk.pc
          share/doc/gateway-sdk-dev/SPEC.md)
    if(NOT EXISTS "${prefix}/${f}")
        file(GLOB_RECURSE got RELATIVE "${prefix}" "${prefix}/*")
        file(REMOVE_RECURSE "${scratch}")
        message(FATAL_ERROR "not installed: ${f}\ninstalled: ${got}")
    endif()
endforeach()

# The installed headers alone are enough for a test of an app: testing.hpp and the detail
# header it shares with the gateway.
if(CXX_COMPILER)
    file(WRITE "${scratch}/testing_only.cpp" "#include \"gateway/testing.hpp\"\n")
    run("testing.hpp from the install" ${CXX_COMPILER} -std=c++17 -fsyntax-only
        -I "${prefix}/include" "${scratch}/testing_only.cpp")
endif()

# The recipe, copied out of the source tree.
file(COPY "${RECIPE_DIR}/" DESTINATION "${scratch}/src")
set(gen_args)
if(GENERATOR)
    set(gen_args -G "${GENERATOR}")
endif()
if(CXX_COMPILER)
    list(APPEND gen_args "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
endif()
run("configure" ${CMAKE_COMMAND} -S "${scratch}/src" -B "${scratch}/build" ${gen_args}
    "-DCMAKE_PREFIX_PATH=${prefix}" -DCMAKE_BUILD_TYPE=Release)
run("build" ${CMAKE_COMMAND} --build "${scratch}/build")

set(so "${scratch}/build/myapp.so")
if(NOT EXISTS "${so}")
    file(REMOVE_RECURSE "${scratch}")
    message(FATAL_ERROR "no ${so} (a MODULE without the lib prefix)")
endif()
run("nm" nm -D --defined-only "${so}")
string(REGEX MATCHALL "[^\n]+" lines "${last_output}")
set(symbols)
foreach(line IN LISTS lines)
    string(REGEX REPLACE "^.* " "" sym "${line}")
    list(APPEND symbols "${sym}")
endforeach()
if(NOT symbols STREQUAL "gw_app_entry")
    file(REMOVE_RECURSE "${scratch}")
    message(FATAL_ERROR "myapp.so exports [${symbols}], expected exactly gw_app_entry")
endif()

# pkg-config, if present: relocatable prefix, headers found.
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
    set(ENV{PKG_CONFIG_PATH} "${prefix}/share/pkgconfig")
    run("pkg-config" ${PKG_CONFIG} --cflags gateway-sdk)
    string(STRIP "${last_output}" cflags)
    string(REGEX REPLACE "^-I" "" incdir "${cflags}")
    if(NOT EXISTS "${incdir}/gateway/gateway.h")
        file(REMOVE_RECURSE "${scratch}")
        message(FATAL_ERROR "pkg-config --cflags gave '${cflags}': no gateway/gateway.h there")
    endif()
endif()

if(PLUGIN_OUT)
    file(COPY "${so}" DESTINATION "${PLUGIN_OUT}")
endif()
file(REMOVE_RECURSE "${scratch}")
message(STATUS "recipe ok: myapp.so exports gw_app_entry only")
