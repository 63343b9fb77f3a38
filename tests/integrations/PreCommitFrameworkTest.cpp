// The pre-commit framework integration, run for real: Debian's pre-commit, a real git
// repository holding a mini program, `pre-commit install`, and `git commit`s that the hook
// rejects or lets through. The hook definition comes from the repository's own
// .pre-commit-hooks.yaml, used both as a hook repository (what users reference) and pasted
// into a `repo: local` configuration. `language: system`: nothing is downloaded.
#include "integrations/IntegrationSupport.h"

#include "llvm/ADT/StringExtras.h"

namespace mpauth::integration_test {
namespace {

class PreCommitFramework : public ::testing::Test {
protected:
  void SetUp() override {
    ProcessResult version = run(env, home.path(), {"pre-commit", "--version"});
    ASSERT_EQ(0, version.exitCode)
        << "pre-commit is not installed (scripts/setup installs Debian's package): "
        << describe({"pre-commit", "--version"}, version);
    ASSERT_TRUE(runs(env, repo.path(), {"git", "init", "-q", "-b", "main"}));
    writeMiniProgram(repo);
  }

  ::testing::AssertionResult git(const std::vector<std::string> &args, int expected = 0,
                                 ProcessResult *result = nullptr) {
    std::vector<std::string> argv = {"git"};
    argv.insert(argv.end(), args.begin(), args.end());
    return runs(env, repo.path(), argv, expected, result);
  }

  // A hook repository holding only this repository's .pre-commit-hooks.yaml, committed; returns
  // its commit, the `rev` a configuration pins.
  std::string makeHookRepository() {
    hooks.write(".pre-commit-hooks.yaml", readFile(sourcePath(".pre-commit-hooks.yaml")));
    EXPECT_TRUE(runs(env, hooks.path(), {"git", "init", "-q", "-b", "main"}));
    EXPECT_TRUE(runs(env, hooks.path(), {"git", "add", "."}));
    EXPECT_TRUE(runs(env, hooks.path(), {"git", "commit", "-q", "-m", "hooks"}));
    ProcessResult head;
    EXPECT_TRUE(runs(env, hooks.path(), {"git", "rev-parse", "HEAD"}, 0, &head));
    return llvm::StringRef(head.out).trim().str();
  }

  // Commits the project as it is, without running hooks: the starting point, which already
  // holds a defect in cloudfunctions/legacy that no later commit touches.
  void commitBaseline() {
    ASSERT_TRUE(git({"add", "-A"}));
    ASSERT_TRUE(git({"commit", "-q", "--no-verify", "-m", "baseline"}));
    ASSERT_TRUE(runs(env, repo.path(), {"pre-commit", "install"}));
  }

  TempDir home{"mpauth-precommit-home"};
  TempDir repo{"mpauth-precommit-repo"};
  TempDir hooks{"mpauth-precommit-hooks"};
  Environment env{home};
};

TEST_F(PreCommitFramework, ManifestPassesPreCommitsOwnValidation) {
  EXPECT_TRUE(runs(env, home.path(),
                   {"pre-commit", "validate-manifest", sourcePath(".pre-commit-hooks.yaml")}));
}

// The configuration a user writes: the hook repository at a pinned rev.
TEST_F(PreCommitFramework, HookRepositoryRejectsAHardcodedEnvAndAcceptsTheFix) {
  std::string rev = makeHookRepository();
  repo.write(".pre-commit-config.yaml", "repos:\n"
                                        "  - repo: " +
                                            hooks.path() + "\n    rev: " + rev +
                                            "\n    hooks:\n      - id: mpauth\n");
  ASSERT_TRUE(runs(env, repo.path(), {"pre-commit", "validate-config"}));
  commitBaseline();

  repo.write("cloudfunctions/login/index.js", kLoginHardcoded);
  ASSERT_TRUE(git({"add", "cloudfunctions/login/index.js"}));
  ProcessResult rejected;
  EXPECT_TRUE(git({"commit", "-m", "login with a hardcoded env"}, 1, &rejected));
  EXPECT_TRUE(contains(rejected.all(), "cloudfunctions/login/index.js:2:19: warning:"))
      << rejected.all();
  EXPECT_TRUE(contains(rejected.all(), "[hardcoded-env]")) << rejected.all();
  EXPECT_TRUE(contains(rejected.all(), "prod-123")) << rejected.all();
  EXPECT_FALSE(contains(rejected.all(), "legacy-999"))
      << "only the staged files are reported, though the whole project is modelled:\n"
      << rejected.all();
  ProcessResult log;
  ASSERT_TRUE(git({"log", "--oneline"}, 0, &log));
  EXPECT_EQ(1u, llvm::StringRef(log.out).count('\n')) << "the rejected commit was not made";

  repo.write("cloudfunctions/login/index.js", kLoginFixed);
  ASSERT_TRUE(git({"add", "cloudfunctions/login/index.js"}));
  ProcessResult accepted;
  EXPECT_TRUE(git({"commit", "-m", "login uses DYNAMIC_CURRENT_ENV"}, 0, &accepted));
  EXPECT_TRUE(contains(accepted.all(), "Passed")) << accepted.all();
}

// The same hook definition pasted into a `repo: local` configuration (for a repository that
// installs mpauth itself): TypeScript is linted, and a commit without any script skips the hook.
TEST_F(PreCommitFramework, LocalHookLintsTypeScriptAndSkipsOtherFiles) {
  std::string config = "repos:\n  - repo: local\n    hooks:\n";
  std::string manifest = readFile(sourcePath(".pre-commit-hooks.yaml"));
  llvm::SmallVector<llvm::StringRef, 32> lines;
  llvm::StringRef(manifest).split(lines, '\n');
  for (llvm::StringRef line : lines)
    config += (line.empty() ? "" : "      ") + line.str() + "\n";
  repo.write(".pre-commit-config.yaml", config);
  ASSERT_TRUE(runs(env, repo.path(), {"pre-commit", "validate-config"}));
  commitBaseline();

  repo.write("cloudfunctions/login/index.ts",
             "const cloud = require('wx-server-sdk')\n"
             "cloud.init({ env: 'prod-123' })\n"
             "export const main = async (): Promise<string> => cloud.getWXContext().OPENID\n");
  ASSERT_TRUE(git({"add", "cloudfunctions/login/index.ts"}));
  ProcessResult rejected;
  EXPECT_TRUE(git({"commit", "-m", "typescript login"}, 1, &rejected));
  EXPECT_TRUE(contains(rejected.all(), "cloudfunctions/login/index.ts:2:19: warning:"))
      << rejected.all();
  ASSERT_TRUE(git({"reset", "-q"}));

  repo.write("README.md", "# A mini program\n");
  ASSERT_TRUE(git({"add", "README.md"}));
  ProcessResult skipped;
  EXPECT_TRUE(git({"commit", "-m", "readme"}, 0, &skipped));
  EXPECT_TRUE(contains(skipped.all(), "(no files to check)Skipped")) << skipped.all();
}

} // namespace
} // namespace mpauth::integration_test
