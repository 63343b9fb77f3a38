// Runs the real programs an integration is made of (git, pre-commit, bash, python3 and the
// mpauth binary) as subprocesses, in temporary folders and with an environment of their own:
// no user or system git configuration, no network, nothing written outside the folder.
#pragma once

#include "support/Subprocess.h"
#include "support/TempDir.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace mpauth::integration_test {

using testing::ProcessResult;
using testing::readFile;
using testing::TempDir;

inline std::string sourcePath(llvm::StringRef relative) {
  llvm::SmallString<256> path(MPAUTH_SOURCE_DIR);
  llvm::sys::path::append(path, relative);
  return std::string(path);
}

inline std::string describe(const std::vector<std::string> &argv, const ProcessResult &r) {
  std::string command;
  for (const std::string &a : argv)
    command += (command.empty() ? "" : " ") + a;
  return "`" + command + "` exited " + std::to_string(r.exitCode) +
         (r.failure.empty() ? "" : " (" + r.failure + ")") + "\n--- stdout ---\n" +
         r.out.substr(0, 6000) + "\n--- stderr ---\n" + r.err.substr(0, 6000);
}

// The folder holding the mpauth binary under test, to put first on PATH.
inline std::string binaryDir() {
  return llvm::sys::path::parent_path(MPAUTH_BINARY).str();
}

// An environment for the programs under test: this process's PATH (with the binary's folder
// first) and nothing of the user's git, pre-commit or locale settings. HOME is the test's own
// folder, so neither ~/.gitconfig nor ~/.cache is read or written.
class Environment {
public:
  explicit Environment(const TempDir &home) {
    const char *path = std::getenv("PATH");
    Vars["PATH"] = binaryDir() + ":" + (path ? path : "/usr/local/bin:/usr/bin:/bin");
    Vars["HOME"] = home.path();
    Vars["TMPDIR"] = home.path();
    Vars["LANG"] = "C.UTF-8";
    Vars["GIT_CONFIG_NOSYSTEM"] = "1";
    Vars["GIT_AUTHOR_NAME"] = Vars["GIT_COMMITTER_NAME"] = "mpauth test";
    Vars["GIT_AUTHOR_EMAIL"] = Vars["GIT_COMMITTER_EMAIL"] = "test@example.com";
    Vars["PRE_COMMIT_HOME"] = home.path() + "/.pre-commit-home";
    Vars["PRE_COMMIT_COLOR"] = "never";
    Vars["NO_COLOR"] = "1";
    // Sanitizer builds: a report must not look like mpauth's own exit code 1 (findings).
    Vars["ASAN_OPTIONS"] = "exitcode=86";
    Vars["UBSAN_OPTIONS"] = "exitcode=87:print_stacktrace=1";
  }
  std::string &operator[](const std::string &name) { return Vars[name]; }
  void erase(const std::string &name) { Vars.erase(name); }

  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (const auto &[name, value] : Vars)
      out.push_back(name + "=" + value);
    return out;
  }

private:
  std::map<std::string, std::string> Vars;
};

// Runs `argv` (argv[0] looked up on the environment's PATH) in `cwd`, with stdin from
// /dev/null.
inline ProcessResult run(const Environment &env, const std::string &cwd,
                         const std::vector<std::string> &argv, unsigned timeoutSeconds = 300) {
  return testing::runProcess(argv, env.strings(),
                             {.workingDirectory = cwd, .timeoutSeconds = timeoutSeconds});
}

// Runs and expects exit code `expected`; the message shows the command and its output.
inline ::testing::AssertionResult runs(const Environment &env, const std::string &cwd,
                                       const std::vector<std::string> &argv, int expected = 0,
                                       ProcessResult *result = nullptr) {
  ProcessResult r = run(env, cwd, argv);
  if (result)
    *result = r;
  if (r.exitCode == expected && r.failure.empty())
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "expected exit code " << expected << ": " << describe(argv, r);
}

// A python3 that can `import yaml`: the one on PATH, or Debian's (pre-commit depends on
// python3-yaml, so it is there wherever pre-commit is). Empty when there is none.
inline std::string pythonWithYaml(const Environment &env) {
  for (const char *candidate : {"python3", "/usr/bin/python3"}) {
    ProcessResult r = run(env, "/", {candidate, "-c", "import yaml"}, 60);
    if (r.exitCode == 0)
      return candidate;
  }
  return "";
}

// A small mini program project: a client that initializes cloud with a literal env (the
// documented pattern, not a finding), and two cloud functions. `login` is what the tests
// change; `legacy` already has a committed defect, which a hook on other files must not report.
inline void writeMiniProgram(const TempDir &repo) {
  repo.write("project.config.json", R"({
  "miniprogramRoot": "miniprogram/",
  "cloudfunctionRoot": "cloudfunctions/",
  "appid": "wx0000000000000000",
  "compileType": "miniprogram"
}
)");
  repo.write("miniprogram/app.js", "App({\n"
                                   "  onLaunch() {\n"
                                   "    wx.cloud.init({ env: 'prod-123', traceUser: true })\n"
                                   "  },\n"
                                   "})\n");
  repo.write("miniprogram/app.json", R"({ "pages": ["pages/index/index"] })"
                                     "\n");
  repo.write("miniprogram/pages/index/index.js", "Page({ data: {} })\n");
  repo.write("cloudfunctions/login/package.json",
             R"({ "name": "login", "dependencies": { "wx-server-sdk": "~2.6.3" } })"
             "\n");
  repo.write("cloudfunctions/legacy/package.json",
             R"({ "name": "legacy", "dependencies": { "wx-server-sdk": "~2.6.3" } })"
             "\n");
  repo.write("cloudfunctions/legacy/index.js", "const cloud = require('wx-server-sdk')\n"
                                               "cloud.init({ env: 'legacy-999' })\n"
                                               "exports.main = async () => ({ ok: true })\n");
}

inline constexpr const char *kLoginHardcoded =
    "const cloud = require('wx-server-sdk')\n"
    "cloud.init({ env: 'prod-123' })\n"
    "exports.main = async () => cloud.getWXContext().OPENID\n";

inline constexpr const char *kLoginFixed =
    "const cloud = require('wx-server-sdk')\n"
    "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
    "exports.main = async () => cloud.getWXContext().OPENID\n";

inline bool contains(llvm::StringRef haystack, llvm::StringRef needle) {
  return haystack.contains(needle);
}

} // namespace mpauth::integration_test
