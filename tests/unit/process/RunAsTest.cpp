#include "gateway/process/RunAs.h"

#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace gateway {
namespace {

/// nobody's entry, which every Linux system has.
struct Nobody {
    uid_t uid;
    gid_t gid;
    std::string group;
};

Nobody nobody() {
    const passwd* entry = ::getpwnam("nobody");
    if (!entry) throw std::runtime_error("this system has no user nobody");
    const uid_t uid = entry->pw_uid;
    const gid_t gid = entry->pw_gid;
    const group* primary = ::getgrgid(gid);
    return {uid, gid, primary ? primary->gr_name : std::to_string(gid)};
}

std::string errorOf(const std::string& spec) {
    try {
        RunAs::resolve(spec);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(resolved)";
}

TEST(RunAs, ResolvesAUserNameWithItsPrimaryGroup) {
    const Nobody expected = nobody();
    const RunAs runAs = RunAs::resolve("nobody");
    EXPECT_EQ(runAs.userName, "nobody");
    EXPECT_EQ(runAs.uid, expected.uid);
    EXPECT_EQ(runAs.gid, expected.gid);
    EXPECT_FALSE(runAs.groupGiven);
    EXPECT_EQ(runAs.spec, "nobody");
}

TEST(RunAs, ResolvesUserAndGroupNames) {
    const RunAs runAs = RunAs::resolve("nobody:root");  // group 0: never nobody's own
    EXPECT_EQ(runAs.uid, nobody().uid);
    EXPECT_EQ(runAs.gid, 0u);
    EXPECT_TRUE(runAs.groupGiven);
}

TEST(RunAs, ResolvesNumericIds) {
    const Nobody expected = nobody();
    const RunAs byUid = RunAs::resolve(std::to_string(expected.uid));
    EXPECT_EQ(byUid.userName, "nobody") << "a uid with a passwd entry gets its groups";
    EXPECT_EQ(byUid.gid, expected.gid);
    const RunAs bare = RunAs::resolve("54321:54320");
    if (::getpwuid(54321)) GTEST_SKIP() << "uid 54321 exists here";
    EXPECT_EQ(bare.uid, 54321u);
    EXPECT_EQ(bare.gid, 54320u);
    EXPECT_EQ(bare.userName, "");
}

TEST(RunAs, UnknownNamesAreClearErrors) {
    EXPECT_EQ(errorOf("gateway-no-such-user"),
              "--user gateway-no-such-user: no user 'gateway-no-such-user' on this system");
    EXPECT_EQ(errorOf("nobody:gateway-no-such-group"),
              "--user nobody:gateway-no-such-group: no group 'gateway-no-such-group' on this "
              "system");
    if (!::getpwuid(54321)) {
        EXPECT_NE(errorOf("54321").find("needs :GROUP"), std::string::npos) << errorOf("54321");
    }
}

TEST(RunAs, MalformedSpecsAreClearErrors) {
    for (const std::string spec : {"", ":root", "nobody:"})
        EXPECT_EQ(errorOf(spec), "--user '" + spec + "': expected USER or USER:GROUP") << spec;
}

TEST(RunAs, RefusesToStayRoot) {
    try {
        RunAs::resolve("root").apply();
        FAIL() << "--user root was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("refusing to keep running as root"), std::string::npos)
            << e.what();
    }
}

TEST(RunAs, WithoutRootOnlyTheCurrentUserIsFine) {
    if (::geteuid() == 0) GTEST_SKIP() << "runs as root: see DropsRootForGood";
    const passwd* self = ::getpwuid(::geteuid());
    ASSERT_NE(self, nullptr);
    EXPECT_FALSE(RunAs::resolve(self->pw_name).apply()) << "nothing to change";
    const std::string other = ::geteuid() == 54321 ? "54322:54322" : "54321:54321";
    try {
        RunAs::resolve(other).apply();
        FAIL() << "switched user without root";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("needs root"), std::string::npos) << e.what();
    }
}

TEST(RunAs, DropsRootForGood) {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root to drop privileges (CI runs as root)";
    const Nobody expected = nobody();
    const RunAs runAs = RunAs::resolve("nobody");
    // In a child: the drop cannot be undone, and this process must stay as it was.
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        int failures = 0;
        try {
            if (!runAs.apply()) failures |= 1;
        } catch (...) {
            failures |= 2;
        }
        uid_t r, e, s;
        gid_t rg, eg, sg;
        ::getresuid(&r, &e, &s);
        ::getresgid(&rg, &eg, &sg);
        if (r != expected.uid || e != expected.uid || s != expected.uid) failures |= 4;
        if (rg != expected.gid || eg != expected.gid || sg != expected.gid) failures |= 8;
        gid_t groups[64];
        const int count = ::getgroups(64, groups);
        if (count < 0 || std::find(groups, groups + count, 0u) != groups + count) failures |= 16;
        if (::setuid(0) == 0 || ::seteuid(0) == 0) failures |= 32;
        ::_exit(failures);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status)) << status;
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "1 nothing changed, 2 threw, 4 uid, 8 gid, 16 root's group kept, 32 root regained";
    EXPECT_EQ(::geteuid(), 0u);
}

}  // namespace
}  // namespace gateway
