// The report layer: turns a finished run into text, JSON, SARIF, GitHub workflow commands or a
// GitLab Code Quality report.
// Knows diagnostics and rule metadata, nothing of tree-sitter or of how findings were made.
#pragma once

#include "analyzer/diagnostics/Diagnostic.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <string>
#include <vector>

namespace mpauth {

class SourceFile;

struct RunResult {
  // Index = Location::file. SourceFile::path() is relative to srcRoot, with '/' separators.
  std::vector<const SourceFile *> files;
  // Sorted by path, line, column, rule id, message (stable regardless of -j).
  std::vector<Diagnostic> diagnostics;
  std::vector<Notification> notifications;
  // Every rule of the run, in registry order (SARIF rules[] and ruleIndex follow this order).
  std::vector<const RuleDescriptor *> rules;
  // Absolute directory that %SRCROOT% stands for (no trailing slash).
  std::string srcRoot;
  std::vector<std::string> commandLine;
  bool executionSuccessful = true;
  std::string lang = "en"; // "en" or "zh-CN"
  // Human notes for the text format: which roots were used and why.
  std::vector<std::string> projectSummary;
  size_t filesAnalyzed = 0;
  // Findings left out because a baseline holds them (--baseline); the text summary counts them.
  size_t baselined = 0;
};

struct TextOptions {
  bool color = false;
  bool quiet = false; // findings only: no summary, no notes
};

class Reporter {
public:
  virtual ~Reporter() = default;
  virtual void write(const RunResult &run, llvm::raw_ostream &out) = 0;
};

std::unique_ptr<Reporter> makeTextReporter(TextOptions options);
std::unique_ptr<Reporter> makeJsonReporter();
std::unique_ptr<Reporter> makeSarifReporter();
std::unique_ptr<Reporter> makeGithubReporter();
// GitLab Code Quality (the Code Climate issue subset GitLab reads); suppressed findings omitted.
std::unique_ptr<Reporter> makeGitlabReporter();

// A stable fingerprint of a finding that survives edits elsewhere in the file: rule id,
// path and the whitespace-normalized text of the finding and its enclosing statement.
// 32 lowercase hex digits (the first half of a SHA-256).
std::string findingFingerprint(const RunResult &run, const Diagnostic &d);

// The SARIF partialFingerprints key under which findingFingerprint() is published. The suffix
// changes whenever the fingerprint's recipe does, so that old and new values never collide.
inline constexpr const char *kFingerprintKey = "mpauth/v1";

// The version of the JSON output schema (docs/json-output.md); bumped on incompatible changes.
inline constexpr int kJsonSchemaVersion = 1;

// How many findings a run reports, by severity. Suppressed findings are counted apart and in
// no severity.
struct FindingCounts {
  size_t errors = 0;
  size_t warnings = 0;
  size_t notes = 0;
  size_t suppressed = 0;
  size_t reported() const { return errors + warnings + notes; }
};
FindingCounts countFindings(const RunResult &run);

// A project-relative path with '/' separators as an RFC 3986 relative reference: every byte
// outside the unreserved set and '/' is percent-encoded (spaces, non-ASCII, '%', '#', ':'...).
std::string encodeUriPath(llvm::StringRef path);
// An absolute directory as a file URI with a trailing slash, as SARIF originalUriBaseIds
// requires: "/home/a b" -> "file:///home/a%20b/", "C:\src" -> "file:///C:/src/".
std::string directoryFileUri(llvm::StringRef directory);

} // namespace mpauth
