# cmake -DTEMPLATES_DIR=<sdk/templates> -DOUTPUT=<file.cpp> -P EmbedTemplates.cmake
#
# Writes OUTPUT, the definition of appTemplateFiles() (AppTemplates.h): every file in a folder of
# TEMPLATES_DIR (common/, cpp/, c/) as a raw string literal, in path order. Run at build time
# (gateway/CMakeLists.txt) whenever a template changes, so the templates stay real files of the
# SDK and the binary needs none of them.
set(delimiter "gwtpl")
file(GLOB_RECURSE files RELATIVE "${TEMPLATES_DIR}" "${TEMPLATES_DIR}/*")
list(FILTER files INCLUDE REGEX "/")  # not the folder's own README.md
list(SORT files)

set(entries "")
foreach(file IN LISTS files)
    string(REGEX MATCH "^[^/]+" folder "${file}")
    string(REGEX REPLACE "^[^/]+/" "" path "${file}")
    file(READ "${TEMPLATES_DIR}/${file}" text)
    string(FIND "${text}" ")${delimiter}\"" clash)
    if(NOT clash EQUAL -1)
        message(FATAL_ERROR "${file} holds ')${delimiter}\"', the raw string delimiter")
    endif()
    string(APPEND entries
        "    {\"${folder}\", \"${path}\",\n     R\"${delimiter}(${text})${delimiter}\"},\n")
endforeach()

file(WRITE "${OUTPUT}" "// Generated from sdk/templates by gateway/app/EmbedTemplates.cmake: do not edit.
#include \"gateway/app/AppTemplates.h\"

namespace gateway {
namespace {

constexpr TemplateFile kFiles[] = {
${entries}};

}  // namespace

std::span<const TemplateFile> appTemplateFiles() {
    return kFiles;
}

}  // namespace gateway
")
