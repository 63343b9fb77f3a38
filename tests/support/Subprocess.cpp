#include "support/Subprocess.h"

#include "support/TempDir.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Optional.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Program.h"

namespace mpauth::testing {

ProcessResult runProcess(const std::vector<std::string> &argv,
                         const std::vector<std::string> &environment,
                         const ProcessOptions &options) {
  ProcessResult result;
  if (argv.empty()) {
    result.failure = "no program to run";
    return result;
  }
  TempDir capture("mpauth-capture");
  std::string inPath = options.input ? capture.write("stdin", *options.input) : std::string();
  std::string outPath = capture.path("stdout"), errPath = capture.path("stderr");

  std::vector<std::string> args;
  if (!options.workingDirectory.empty())
    args = {"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", options.workingDirectory};
  args.insert(args.end(), argv.begin(), argv.end());
  const std::string &program = args.front();
  std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::vector<llvm::StringRef> envRefs(environment.begin(), environment.end());
  // An empty redirect is /dev/null.
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(inPath), llvm::StringRef(outPath),
                                                 llvm::StringRef(errPath)};
  bool executionFailed = false;
  result.exitCode =
      llvm::sys::ExecuteAndWait(program, argRefs, llvm::makeArrayRef(envRefs), redirects,
                                options.timeoutSeconds, 0, &result.failure, &executionFailed);
  if (executionFailed && result.failure.empty())
    result.failure = "could not execute " + program;
  result.out = readFile(outPath);
  result.err = readFile(errPath);
  return result;
}

} // namespace mpauth::testing
