# Included by cmake_install.cmake at install time (see packaging/CMakeLists.txt), for the runtime
# component: installs gateway.ini, the systemd unit and the logrotate snippet for the prefix being
# installed to. Needs GATEWAY_PACKAGING_DIR (packaging/) and GATEWAY_PACKAGING_SCRATCH (a folder
# of the build tree).
#
# Prefix /usr (the Debian package, or `DESTDIR=... cmake --install --prefix /usr`): the files go
# in as they are in packaging/, whose paths are the package's: /etc/gateway/gateway.ini,
# /usr/lib/systemd/system/gateway.service, /etc/logrotate.d/gateway, and an empty /var/log/gateway
# for the access log. Another prefix P: P/etc/gateway/gateway.ini, P/lib/systemd/system/...,
# P/etc/logrotate.d/gateway, with the /usr/... and /etc/... paths in the ini and the unit rewritten
# to P/... and P/etc/..., so that the unit starts P's server with P's config on P's docroot and
# apps. The log and pid files (/var/log/gateway, /run/gateway/gateway.pid) stay the machine's.
string(REGEX REPLACE "(.)/+$" "\\1" _gw_prefix "${CMAKE_INSTALL_PREFIX}")
if(_gw_prefix STREQUAL "/usr")
    set(_gw_etc /etc)
else()
    set(_gw_etc "${_gw_prefix}/etc")
endif()

string(RANDOM LENGTH 8 _gw_tag)
set(_gw_scratch "${GATEWAY_PACKAGING_SCRATCH}/${_gw_tag}")

# gateway_install_file(<file in packaging/> <destination folder> <installed name>)
function(gateway_install_file source destination name)
    file(READ "${GATEWAY_PACKAGING_DIR}/${source}" text)
    if(NOT _gw_prefix STREQUAL "/usr")
        # Only paths that start a value or a word (after '=' or a blank); in one pass, so that a
        # prefix that itself holds "/usr/" is not rewritten again.
        string(REGEX REPLACE "([= \t])/usr/" "\\1@GW_PREFIX@/" text "${text}")
        string(REGEX REPLACE "([= \t])/etc/" "\\1@GW_ETC@/" text "${text}")
        string(REPLACE "@GW_PREFIX@" "${_gw_prefix}" text "${text}")
        string(REPLACE "@GW_ETC@" "${_gw_etc}" text "${text}")
    endif()
    file(WRITE "${_gw_scratch}/${name}" "${text}")
    file(INSTALL "${_gw_scratch}/${name}" DESTINATION "${destination}"
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
endfunction()

gateway_install_file(gateway.ini "${_gw_etc}/gateway" gateway.ini)
gateway_install_file(gateway.service "${_gw_prefix}/lib/systemd/system" gateway.service)
gateway_install_file(gateway.logrotate "${_gw_etc}/logrotate.d" gateway)
if(_gw_prefix STREQUAL "/usr")
    file(MAKE_DIRECTORY "${_gw_scratch}/log/gateway")
    file(INSTALL "${_gw_scratch}/log/gateway" DESTINATION /var/log)
endif()
file(REMOVE_RECURSE "${_gw_scratch}")
