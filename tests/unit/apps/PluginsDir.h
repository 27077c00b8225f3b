#pragma once

#include <gtest/gtest.h>

#include <string>

/// The folder of the test plugins (tests/plugins), or skip when this build has none.
#ifdef GATEWAY_TEST_PLUGINS_DIR
#define REQUIRE_TEST_PLUGINS() (void)0
inline std::string testPlugin(const std::string& name) {
    return std::string(GATEWAY_TEST_PLUGINS_DIR) + "/" + name + ".so";
}
#else
#define REQUIRE_TEST_PLUGINS() GTEST_SKIP() << "built without tests/plugins"
inline std::string testPlugin(const std::string& name) {
    return name + ".so";
}
#endif
