// The plain git hook (integrations/git/pre-commit), installed in a real repository and run by
// real `git commit`s. What matters is that it lints the STAGED content: a defect that is staged
// is rejected even when the work tree is fixed, and a staged fix passes even when the work tree
// is not.
#include "integrations/IntegrationSupport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"

#include <chrono>

namespace mpauth::integration_test {
namespace {

class GitHook : public ::testing::Test {
protected:
  void SetUp() override {
    env["MPAUTH"] = MPAUTH_BINARY;
    env["TMPDIR"] = tmp.path();
    ASSERT_TRUE(runs(env, repo.path(), {"git", "init", "-q", "-b", "main"}));
    writeMiniProgram(repo);
    repo.write("cloudfunctions/login/index.js", kLoginFixed);
    ASSERT_TRUE(git({"add", "-A"}));
    ASSERT_TRUE(git({"commit", "-q", "-m", "baseline"}));
    // Installed as a user would: copied into .git/hooks and made executable.
    std::string hook = repo.path(".git/hooks/pre-commit");
    ASSERT_FALSE(llvm::sys::fs::copy_file(sourcePath("integrations/git/pre-commit"), hook));
    ASSERT_FALSE(llvm::sys::fs::setPermissions(
        hook, llvm::sys::fs::all_read | llvm::sys::fs::all_exe | llvm::sys::fs::owner_write));
  }

  ::testing::AssertionResult git(const std::vector<std::string> &args, int expected = 0,
                                 ProcessResult *result = nullptr) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    return runs(env, repo.path(), argv, expected, result);
  }

  unsigned commitCount() {
    ProcessResult log;
    EXPECT_TRUE(git({"rev-list", "--count", "HEAD"}, 0, &log));
    return static_cast<unsigned>(std::stoul(llvm::StringRef(log.out).trim().str()));
  }

  TempDir home{"mpauth-githook-home"};
  TempDir repo{"mpauth-githook-repo"};
  TempDir tmp{"mpauth-githook-tmp"}; // the hook's TMPDIR: empty again after every commit
  Environment env{home};
};

TEST_F(GitHook, ScriptPassesShellcheck) {
  ProcessResult version = run(env, home.path(), {"shellcheck", "--version"});
  ASSERT_EQ(0, version.exitCode) << "shellcheck is not installed (scripts/setup installs it)";
  EXPECT_TRUE(runs(env, home.path(), {"shellcheck", sourcePath("integrations/git/pre-commit")}));
}

TEST_F(GitHook, StagedDefectIsRejectedThoughTheWorkTreeIsFixed) {
  repo.write("cloudfunctions/login/index.js", kLoginHardcoded);
  ASSERT_TRUE(git({"add", "cloudfunctions/login/index.js"}));
  repo.write("cloudfunctions/login/index.js", kLoginFixed); // not staged

  ProcessResult rejected;
  EXPECT_TRUE(git({"commit", "-m", "hardcoded env"}, 1, &rejected));
  // Paths relative to the repository root, not to the export folder.
  EXPECT_TRUE(contains(rejected.all(), "\ncloudfunctions/login/index.js:2:19: warning:") ||
              llvm::StringRef(rejected.all()).startswith("cloudfunctions/login/index.js:2:19:"))
      << rejected.all();
  EXPECT_TRUE(contains(rejected.all(), "[hardcoded-env]")) << rejected.all();
  EXPECT_TRUE(contains(rejected.all(), "commit rejected")) << rejected.all();
  EXPECT_FALSE(contains(rejected.all(), tmp.path())) << "no temporary path in the output";
  EXPECT_FALSE(contains(rejected.all(), "legacy-999")) << "only staged files are reported";
  EXPECT_EQ(1u, commitCount());
  EXPECT_TRUE(tmp.list().empty()) << "the export folder is removed";
}

TEST_F(GitHook, StagedFixPassesThoughTheWorkTreeHasTheDefect) {
  repo.write("cloudfunctions/login/index.js", std::string(kLoginFixed) + "exports.version = 2\n");
  ASSERT_TRUE(git({"add", "cloudfunctions/login/index.js"}));
  repo.write("cloudfunctions/login/index.js", kLoginHardcoded); // not staged

  ProcessResult accepted;
  EXPECT_TRUE(git({"commit", "-m", "version 2"}, 0, &accepted));
  EXPECT_EQ(2u, commitCount());
  EXPECT_TRUE(tmp.list().empty()) << "the export folder is removed";
}

// The whole project is modelled from the index: the cloud function reads its env id from a
// config module, and only the staged version of that module decides.
TEST_F(GitHook, OtherFilesAreReadFromTheIndexToo) {
  repo.write("cloudfunctions/login/config.js", "module.exports = { ENV_ID: 'prod-123' }\n");
  repo.write("cloudfunctions/login/index.js", "const cloud = require('wx-server-sdk')\n"
                                              "const { ENV_ID } = require('./config')\n"
                                              "cloud.init({ env: ENV_ID })\n"
                                              "exports.main = async () => ({ ok: true })\n");
  ASSERT_TRUE(git({"add", "cloudfunctions/login"}));
  // The work tree's config no longer holds a literal, but the index does.
  repo.write("cloudfunctions/login/config.js",
             "module.exports = { ENV_ID: process.env.TCB_ENV }\n");
  ProcessResult rejected;
  EXPECT_TRUE(git({"commit", "-m", "env from config"}, 1, &rejected));
  EXPECT_TRUE(contains(rejected.all(), "prod-123")) << rejected.all();
}

TEST_F(GitHook, CommitWithoutScriptsPassesWithoutRunningMpauth) {
  env["MPAUTH"] = repo.path("no-such-mpauth"); // would fail if the hook ran it
  repo.write("README.md", "# A mini program\n");
  repo.write("miniprogram/app.json", R"({ "pages": ["pages/index/index"], "debug": true })"
                                     "\n");
  ASSERT_TRUE(git({"add", "README.md", "miniprogram/app.json"}));
  auto start = std::chrono::steady_clock::now();
  ProcessResult accepted;
  EXPECT_TRUE(git({"commit", "-m", "docs"}, 0, &accepted));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(5)) << "a commit without scripts is quick";
  EXPECT_FALSE(contains(accepted.all(), "mpauth")) << accepted.all();
}

TEST_F(GitHook, DeletedScriptsAreNotLinted) {
  ASSERT_TRUE(git({"rm", "-q", "cloudfunctions/legacy/index.js"}));
  EXPECT_TRUE(git({"commit", "-m", "remove legacy"}));
}

TEST_F(GitHook, MpauthArgsAreHonoured) {
  repo.write("cloudfunctions/login/index.js", kLoginHardcoded);
  ASSERT_TRUE(git({"add", "cloudfunctions/login/index.js"}));
  env["MPAUTH_ARGS"] = "--fail-on error --quiet";
  ProcessResult accepted;
  EXPECT_TRUE(git({"commit", "-m", "a warning does not fail at --fail-on error"}, 0, &accepted));
  EXPECT_TRUE(contains(accepted.all(), "[hardcoded-env]")) << "still shown:\n" << accepted.all();
  EXPECT_FALSE(contains(accepted.all(), "problem")) << "--quiet drops the summary";
}

TEST_F(GitHook, RelativeMpauthPathIsRelativeToTheRepositoryRoot) {
  ASSERT_FALSE(llvm::sys::fs::create_link(MPAUTH_BINARY, repo.path("mpauth-link")));
  env["MPAUTH"] = "./mpauth-link";
  repo.write("cloudfunctions/login/index.js", kLoginHardcoded);
  ASSERT_TRUE(git({"add", "cloudfunctions/login/index.js"}));
  ProcessResult rejected;
  EXPECT_TRUE(git({"commit", "-m", "hardcoded env"}, 1, &rejected));
  EXPECT_TRUE(contains(rejected.all(), "[hardcoded-env]")) << rejected.all();
}

TEST_F(GitHook, MissingBinaryStopsTheCommitWithAClearMessage) {
  env["MPAUTH"] = "mpauth-not-installed";
  repo.write("cloudfunctions/login/index.js", kLoginHardcoded);
  ASSERT_TRUE(git({"add", "cloudfunctions/login/index.js"}));
  ProcessResult stopped;
  EXPECT_TRUE(git({"commit", "-m", "x"}, 1, &stopped));
  EXPECT_TRUE(contains(stopped.err, "cannot run 'mpauth-not-installed'")) << stopped.all();
}

TEST_F(GitHook, FileNamesWithSpacesAndCommitAllWork) {
  repo.write("cloudfunctions/my login/package.json",
             R"({ "name": "my-login", "dependencies": { "wx-server-sdk": "~2.6.3" } })"
             "\n");
  repo.write("cloudfunctions/my login/index.js", kLoginFixed);
  ASSERT_TRUE(git({"add", "-A"}));
  ASSERT_TRUE(git({"commit", "-q", "-m", "a function with a space"}));
  // `git commit -a` stages into a temporary index (GIT_INDEX_FILE) that the hook must read.
  repo.write("cloudfunctions/my login/index.js", kLoginHardcoded);
  ProcessResult rejected;
  EXPECT_TRUE(git({"commit", "-a", "-m", "hardcoded env"}, 1, &rejected));
  EXPECT_TRUE(contains(rejected.all(), "cloudfunctions/my login/index.js:2:19:")) << rejected.all();
}

} // namespace
} // namespace mpauth::integration_test
