// The diagnostics layer: what a finding is, independent of how it was found or printed.
#pragma once

#include "analyzer/diagnostics/RuleDescriptor.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mpauth {

class SourceFile;

// A byte range in one file's analyzed text. Files are identified by their index in the run's
// file table (RunResult::files).
struct Location {
  uint32_t file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct RelatedLocation {
  Location where;
  std::string message;
};

// One step of a data flow (source, intermediate steps, sink).
struct FlowStep {
  Location where;
  std::string message;
};

struct TextEdit {
  Location range; // replaced bytes; an empty range inserts
  std::string replacement;
};

struct Fix {
  std::string description;
  std::vector<TextEdit> edits;
};

using MessageArgs = std::vector<std::pair<std::string, std::string>>;

struct Suppression {
  std::string justification;
  Location where;
};

struct Diagnostic {
  const RuleDescriptor *rule = nullptr;
  Severity severity = Severity::Warning;
  std::string messageId;
  MessageArgs args;
  std::string message; // rendered in the run's language
  Location primary;
  // The enclosing statement of the primary location: the stable context that fingerprints
  // and baselines hash (not line numbers).
  Location context;
  std::vector<RelatedLocation> related;
  std::vector<FlowStep> flow;
  std::optional<Fix> fix;
  std::optional<Suppression> suppression;
};

// A message from the tool itself about the run (a file that failed to parse, a skipped file,
// a broken project.config.json). Never mixed with findings.
struct Notification {
  Severity level = Severity::Warning;
  std::string message;
  std::string path; // display path of the file concerned, if any
  std::optional<uint32_t> line;
  std::optional<uint32_t> column;
  std::string id; // stable id, e.g. "parse-error", "skipped-file", "bad-config"
};

// Renders a message template with {name} placeholders ({{ and }} are literal braces).
std::string renderMessage(std::string_view templ, const MessageArgs &args);

} // namespace mpauth
