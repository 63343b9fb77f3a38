// Golden-file comparison for reporter output. Run the tests with MPAUTH_UPDATE_GOLDEN=1 to
// rewrite the files, then review every changed line by hand before committing: a golden is
// what a user should see, not whatever the code printed.
#pragma once

#include <string>

namespace mpauth::report_test {

// Compares `actual` with tests/report/golden/<name>. The golden spells the tool version
// "@VERSION@" (so that a release does not touch it) and the escape character "\e" (so that
// color output can be read and reviewed as text).
void expectMatchesGolden(const std::string &name, const std::string &actual);

} // namespace mpauth::report_test
