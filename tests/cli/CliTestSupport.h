// Runs the real mpauth binary on projects written into temporary folders.
#pragma once

#include "support/Subprocess.h"
#include "support/TempDir.h"

#include "llvm/ADT/StringRef.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

extern char **environ;

namespace mpauth::cli_test {

using testing::readFile;
using testing::TempDir;
using RunResult = testing::ProcessResult;

// The child's environment: ours, with a fixed message language and no NO_COLOR, and with
// sanitizer exit codes that cannot be mistaken for mpauth's own (1 = findings).
inline std::vector<std::string> childEnvironment() {
  std::vector<std::string> env;
  std::string asan = "ASAN_OPTIONS=exitcode=86";
  std::string ubsan = "UBSAN_OPTIONS=exitcode=87:print_stacktrace=1";
  for (char **e = environ; e && *e; ++e) {
    llvm::StringRef var(*e);
    if (var.startswith("LANG=") || var.startswith("LC_ALL=") || var.startswith("LC_MESSAGES=") ||
        var.startswith("NO_COLOR="))
      continue;
    if (var.startswith("ASAN_OPTIONS=")) {
      asan = var.str() + ":exitcode=86";
      continue;
    }
    if (var.startswith("UBSAN_OPTIONS=")) {
      ubsan = var.str() + ":exitcode=87";
      continue;
    }
    env.push_back(var.str());
  }
  env.push_back("LANG=C");
  env.push_back(asan);
  env.push_back(ubsan);
  return env;
}

// Runs `mpauth args...` with stdin from /dev/null, capturing stdout and stderr.
inline RunResult runMpauth(const std::vector<std::string> &args, unsigned timeoutSeconds = 300) {
  std::vector<std::string> argv{MPAUTH_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::runProcess(argv, childEnvironment(), {.timeoutSeconds = timeoutSeconds});
}

inline bool contains(llvm::StringRef haystack, llvm::StringRef needle) {
  return haystack.contains(needle);
}

// A run that ended normally with one of mpauth's documented exit codes and no sanitizer report.
inline ::testing::AssertionResult exitedCleanly(const RunResult &r,
                                                std::initializer_list<int> allowed) {
  bool codeOk = false;
  for (int code : allowed)
    codeOk = codeOk || r.exitCode == code;
  bool sanitizer = contains(r.err, "Sanitizer") || contains(r.err, "runtime error:");
  if (codeOk && r.failure.empty() && !sanitizer)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "exit code " << r.exitCode << (r.failure.empty() ? "" : " (" + r.failure + ")")
         << "\n--- stdout ---\n"
         << r.out.substr(0, 4000) << "\n--- stderr ---\n"
         << r.err.substr(0, 8000);
}

} // namespace mpauth::cli_test
