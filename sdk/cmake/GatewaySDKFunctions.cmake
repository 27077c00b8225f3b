# gateway_add_app(<name> SOURCES <file>... [LINK_LIBRARIES <lib>...] [OUTPUT_DIRECTORY <dir>])
#
# Builds a Gateway plugin <name>.so from C and/or C++ sources: a MODULE library without the
# "lib" prefix, hidden visibility, -fno-gnu-unique for C++ (GNU), -Wl,--no-undefined, and a
# version script so that gw_app_entry is the only exported symbol. Links GatewaySDK::sdk (the
# headers) and LINK_LIBRARIES. The .so lands in OUTPUT_DIRECTORY, else in
# ${GATEWAY_APPS_OUTPUT_DIRECTORY} if that variable is set, else in the usual binary folder.
# Used alike in the Gateway tree and, through find_package(GatewaySDK), out of tree.
include_guard(GLOBAL)

function(gateway_add_app name)
    cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_DIRECTORY" "SOURCES;LINK_LIBRARIES")
    if(NOT ARG_SOURCES)
        message(FATAL_ERROR "gateway_add_app(${name}): SOURCES is required")
    endif()
    if(ARG_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "gateway_add_app(${name}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
    endif()

    add_library(${name} MODULE ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE GatewaySDK::sdk ${ARG_LINK_LIBRARIES})
    set_target_properties(${name} PROPERTIES
        PREFIX ""
        C_VISIBILITY_PRESET hidden
        CXX_VISIBILITY_PRESET hidden
        VISIBILITY_INLINES_HIDDEN ON
        POSITION_INDEPENDENT_CODE ON)
    # Static data in inline functions/templates must not become STB_GNU_UNIQUE: such a symbol
    # makes dlclose() a no-op, so a reloaded plugin would keep its old code.
    target_compile_options(${name} PRIVATE
        $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-fno-gnu-unique>)

    set(script "${CMAKE_CURRENT_BINARY_DIR}/${name}.exports.map")
    file(CONFIGURE OUTPUT "${script}" CONTENT "{\n  global: gw_app_entry;\n  local: *;\n};\n")
    target_link_options(${name} PRIVATE
        "LINKER:--no-undefined" "LINKER:--version-script=${script}")
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS "${script}")

    if(ARG_OUTPUT_DIRECTORY)
        set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${ARG_OUTPUT_DIRECTORY}")
    elseif(DEFINED GATEWAY_APPS_OUTPUT_DIRECTORY)
        set_target_properties(${name} PROPERTIES
            LIBRARY_OUTPUT_DIRECTORY "${GATEWAY_APPS_OUTPUT_DIRECTORY}")
    endif()
endfunction()
