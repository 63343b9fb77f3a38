// Runs the SARIF Multitool (npm @microsoft/sarif-multitool-linux, a devDependency) with
// GitHub code scanning's ingestion rules. Shared by the reporter tests and the CLI tests.
#pragma once

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace mpauth::testing {

// Validates a SARIF log; returns the validator's error- and warning-level findings, one line
// each (notes are advice and are not returned). An Error when the validator cannot run.
llvm::Expected<std::vector<std::string>> validateSarif(const std::string &sarif);

// The findings as an indented list, for test failure messages.
std::string listedProblems(const std::vector<std::string> &problems);

} // namespace mpauth::testing
