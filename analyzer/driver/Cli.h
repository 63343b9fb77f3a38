// The command line: `mpauth check|rules|explain|--version`, built on llvm::cl.
#pragma once

namespace mpauth {
// Returns the process exit code (SPEC 4): 0 clean, 1 findings, 2 usage/config error, 3 internal.
int runCli(int argc, char **argv);
} // namespace mpauth
