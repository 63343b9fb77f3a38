// Runs a program as a subprocess with a given environment, capturing what it prints. Shared by
// the CLI suite (the mpauth binary) and the integration suite (git, pre-commit, sh, python3).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mpauth::testing {

struct ProcessResult {
  int exitCode = -1;
  std::string out;
  std::string err;
  std::string failure; // set when the process could not run or was killed (crash, timeout)
  std::string all() const { return out + err; }
};

struct ProcessOptions {
  std::optional<std::string> input; // standard input; none: /dev/null
  // Empty: this process's. Otherwise the program starts through a small sh wrapper (which
  // `cd`s and then `exec`s), since llvm::sys::ExecuteAndWait has no such parameter; argv[0]
  // may then also be a name looked up on the environment's PATH.
  std::string workingDirectory;
  unsigned timeoutSeconds = 300;
};

// Runs `argv` (argv[0] is the program's path) with exactly `environment` ("NAME=value" each)
// and waits for it; stdout and stderr go through files, so a chatty child cannot block.
ProcessResult runProcess(const std::vector<std::string> &argv,
                         const std::vector<std::string> &environment,
                         const ProcessOptions &options = {});

} // namespace mpauth::testing
