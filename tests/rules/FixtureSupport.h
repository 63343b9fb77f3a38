// Runs mpauth on a fixture project and reads the `// expect:` annotations of its sources.
#pragma once

#include "analyzer/driver/Driver.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace mpauth::testing {

// One expected (or known-missing / known-spurious) finding on a line.
struct Expectation {
  std::string path; // relative to the fixture directory
  unsigned line = 0;
  std::string rule;
  std::string messageId; // empty: any
  std::string severity;  // empty: any
  enum class Kind { Expect, Missing, Spurious } kind = Kind::Expect;
  std::string describe() const;
};

// `// expect: rule[:message-id][@severity], …`, `// expect-missing: …`, `// expect-spurious: …`
std::vector<Expectation> readExpectations(const std::string &fixtureDir);

std::unique_ptr<Analysis> analyzeFixture(const std::string &fixtureDir);

// Sub-directories of fixtures/<rule>/ (each a case), sorted.
std::vector<std::string> fixtureCases();

std::string sourceDir();

} // namespace mpauth::testing
