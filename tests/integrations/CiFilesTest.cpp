// The CI files: .pre-commit-hooks.yaml, the composite GitHub Action (action.yml), the example
// GitHub workflow and the GitLab CI template. Each is parsed as YAML and checked for what its
// platform requires (tests/integrations/ci_files.py), and the scripts inside the action and the
// GitLab job are run for real with the mpauth binary, the way their runners run them. What
// cannot run here is the upload to GitHub code scanning and GitLab itself.
#include "integrations/IntegrationSupport.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"

namespace mpauth::integration_test {
namespace {

class CiFiles : public ::testing::Test {
protected:
  void SetUp() override {
    python = pythonWithYaml(env);
    ASSERT_FALSE(python.empty())
        << "no python3 with PyYAML (Debian's python3-yaml; scripts/setup installs it)";
  }

  ::testing::AssertionResult ciFiles(const std::vector<std::string> &args, int expected = 0,
                                     ProcessResult *result = nullptr,
                                     const std::string &cwd = MPAUTH_SOURCE_DIR) {
    std::vector<std::string> argv = {python, sourcePath("tests/integrations/ci_files.py")};
    argv.insert(argv.end(), args.begin(), args.end());
    return runs(env, cwd, argv, expected, result);
  }

  // A copy of `relative` with `from` replaced by `to`, for checking that a check notices.
  std::string brokenCopy(llvm::StringRef relative, llvm::StringRef from, llvm::StringRef to) {
    std::string text = readFile(sourcePath(relative));
    size_t at = text.find(from.str());
    EXPECT_NE(std::string::npos, at) << relative.str() << " has no '" << from.str() << "'";
    if (at != std::string::npos)
      text.replace(at, from.size(), to.str());
    return home.write(llvm::sys::path::filename(relative), text);
  }

  TempDir home{"mpauth-ci-home"};
  Environment env{home};
  std::string python;
};

TEST_F(CiFiles, PreCommitManifestHasTheAgreedHook) {
  EXPECT_TRUE(ciFiles({"check-manifest", sourcePath(".pre-commit-hooks.yaml")}));
}

TEST_F(CiFiles, ActionIsAWellFormedCompositeAction) {
  EXPECT_TRUE(ciFiles({"check-action", sourcePath("action.yml")}));
}

TEST_F(CiFiles, ExampleWorkflowIsWellFormed) {
  EXPECT_TRUE(ciFiles({"check-workflow", sourcePath("integrations/github/mpauth.yml")}));
}

TEST_F(CiFiles, GitlabTemplateIsWellFormed) {
  EXPECT_TRUE(ciFiles({"check-gitlab", sourcePath("integrations/gitlab/mpauth.gitlab-ci.yml")}));
}

TEST_F(CiFiles, ActionScriptsPassShellcheck) {
  ASSERT_TRUE(ciFiles({"extract-scripts", sourcePath("action.yml"), home.path()}));
  std::vector<std::string> argv = {"shellcheck"};
  for (const std::string &name : home.list())
    if (llvm::StringRef(name).endswith(".sh"))
      argv.push_back(home.path(name));
  ASSERT_EQ(3u, argv.size()) << "the action has two run steps";
  EXPECT_TRUE(runs(env, home.path(), argv));
}

// The checks are worth something only if they fail on a broken file.
TEST_F(CiFiles, ChecksNoticeMistakes) {
  ProcessResult r;
  EXPECT_TRUE(ciFiles(
      {"check-action", brokenCopy("action.yml", "inputs.fail-on != 'never'", "inputs.fail != 1")},
      1, &r));
  EXPECT_TRUE(contains(r.out, "names input 'fail'")) << r.out;
  EXPECT_TRUE(ciFiles(
      {"check-manifest", brokenCopy(".pre-commit-hooks.yaml", "require_serial: true", "")}, 1));
  EXPECT_TRUE(
      ciFiles({"check-gitlab", brokenCopy("integrations/gitlab/mpauth.gitlab-ci.yml",
                                          "codequality: gl-code-quality-report.json", "junit: x")},
              1));
}

// A project with one warning (a hard-coded env in a cloud function) in a workspace.
class CiRun : public CiFiles {
protected:
  void SetUp() override {
    CiFiles::SetUp();
    writeMiniProgram(workspace);
    workspace.write("cloudfunctions/login/index.js", kLoginHardcoded);
  }
  TempDir workspace{"mpauth-ci-workspace"};
};

// The action's steps as the runner would run them: the SARIF step succeeds despite findings,
// the upload receives its file and category, and the last step fails the job.
TEST_F(CiRun, ActionWritesSarifUploadsThenFails) {
  std::string sarif = home.path("out/results.sarif");
  ProcessResult r;
  EXPECT_TRUE(ciFiles({"run-action", sourcePath("action.yml"), workspace.path(),
                       "mpauth=" MPAUTH_BINARY, "sarif-file=" + sarif},
                      1, &r));
  EXPECT_TRUE(contains(r.out, "run analyze 0 ")) << r.all();
  EXPECT_TRUE(contains(r.out, "uses github/codeql-action/upload-sarif@v3 {\"category\": "
                              "\"mpauth\", \"sarif_file\": \"" +
                                  sarif + "\"}"))
      << r.all();
  EXPECT_TRUE(contains(r.out, "run step2 1")) << "the verdict step fails:\n" << r.all();
  EXPECT_TRUE(contains(r.all(), "cloudfunctions/login/index.js:2:19")) << "findings in the log";

  auto log = llvm::json::parse(readFile(sarif));
  ASSERT_TRUE(bool(log)) << llvm::toString(log.takeError());
  const llvm::json::Array *runs = log->getAsObject()->getArray("runs");
  ASSERT_TRUE(runs && !runs->empty());
  const llvm::json::Array *results = (*runs)[0].getAsObject()->getArray("results");
  ASSERT_NE(nullptr, results);
  EXPECT_EQ(2u, results->size()) << "login and legacy";
}

TEST_F(CiRun, ActionPerProjectCategoryAndFailOnNever) {
  ProcessResult r;
  EXPECT_TRUE(
      ciFiles({"run-action", sourcePath("action.yml"), workspace.path(), "mpauth=" MPAUTH_BINARY,
               "path=cloudfunctions/login", "fail-on=never", "args=--quiet -j 1"},
              0, &r));
  EXPECT_TRUE(contains(r.out, "\"category\": \"mpauth:cloudfunctions/login\"")) << r.all();
  EXPECT_TRUE(contains(r.out, "skip step2")) << r.all();
}

TEST_F(CiRun, ActionWithoutUploadAndNoFindingsPasses) {
  workspace.write("cloudfunctions/login/index.js", kLoginFixed);
  workspace.write("cloudfunctions/legacy/index.js", kLoginFixed);
  ProcessResult r;
  EXPECT_TRUE(ciFiles({"run-action", sourcePath("action.yml"), workspace.path(),
                       "mpauth=" MPAUTH_BINARY, "upload=false"},
                      0, &r));
  EXPECT_TRUE(contains(r.out, "skip step1")) << r.all();
  EXPECT_TRUE(contains(r.out, "run step2 0")) << r.all();
}

TEST_F(CiRun, ActionStopsOnAUsageError) {
  ProcessResult r;
  EXPECT_TRUE(ciFiles({"run-action", sourcePath("action.yml"), workspace.path(),
                       "mpauth=" MPAUTH_BINARY, "args=--no-such-option"},
                      2, &r));
  EXPECT_FALSE(contains(r.out, "uses github/codeql-action")) << "nothing to upload:\n" << r.all();
}

// The GitLab job's script lines, run as the GitLab runner runs them, from the project folder.
TEST_F(CiRun, GitlabJobWritesTheCodeQualityReportThenFails) {
  std::string templ = sourcePath("integrations/gitlab/mpauth.gitlab-ci.yml");
  EXPECT_TRUE(ciFiles(
      {"run-gitlab-job", templ, ".mpauth-report", workspace.path(), "MPAUTH=" MPAUTH_BINARY}, 1));
  std::string report = readFile(workspace.path("gl-code-quality-report.json"));
  auto issues = llvm::json::parse(report);
  ASSERT_TRUE(bool(issues)) << llvm::toString(issues.takeError()) << "\n" << report;
  ASSERT_NE(nullptr, issues->getAsArray()) << report;
  ASSERT_EQ(2u, issues->getAsArray()->size()) << report;
  const llvm::json::Object &first = *(*issues->getAsArray())[0].getAsObject();
  EXPECT_EQ(llvm::StringRef("hardcoded-env"), first.getString("check_name").getValueOr(""));
  EXPECT_EQ(llvm::StringRef("cloudfunctions/legacy/index.js"),
            first.getObject("location")->getString("path").getValueOr(""));

  // Per project (a monorepo's parallel:matrix), and only a report with fail-on never.
  ASSERT_FALSE(llvm::sys::fs::remove(workspace.path("gl-code-quality-report.json")));
  EXPECT_TRUE(
      ciFiles({"run-gitlab-job", templ, ".mpauth-report", workspace.path(), "MPAUTH=" MPAUTH_BINARY,
               "MPAUTH_PATH=cloudfunctions/login", "MPAUTH_FAIL_ON=never"}));
  auto login = llvm::json::parse(readFile(workspace.path("gl-code-quality-report.json")));
  ASSERT_TRUE(bool(login)) << llvm::toString(login.takeError());
  ASSERT_EQ(1u, login->getAsArray()->size());
  EXPECT_EQ(llvm::StringRef("cloudfunctions/login/index.js"), (*login->getAsArray())[0]
                                                                  .getAsObject()
                                                                  ->getObject("location")
                                                                  ->getString("path")
                                                                  .getValueOr(""));
}

} // namespace
} // namespace mpauth::integration_test
