// What every output format derives from a diagnostic the same way: where a Location is in
// lines and columns, the rule id to print, the message text. Internal to the report layer.
#pragma once

#include "analyzer/report/Reporter.h"
#include "analyzer/source/SourceFile.h"

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mpauth {

// A Location in the terms users and formats see: 1-based lines, 1-based code point columns,
// end exclusive.
struct SourceSpan {
  const SourceFile *file = nullptr; // null when the location names no file of the run
  llvm::StringRef path;
  LineColumn start;
  LineColumn end;
};

const SourceFile *fileOf(const RunResult &run, const Location &where);
// A span for `where`; when its file is unknown, path is empty and lines are 0.
SourceSpan resolveSpan(const RunResult &run, const Location &where);

// The rule id a finding is reported under ("mpauth" when a diagnostic has no rule, which
// only a broken caller produces: output still names something rather than nothing).
llvm::StringRef ruleIdOf(const Diagnostic &d);

// The finding's rendered message, or its English template when the caller did not render one.
std::string messageOf(const Diagnostic &d);

// `text` as a JSON string value: llvm::json requires valid UTF-8, and a message quoting a
// broken identifier must degrade (U+FFFD), not assert.
std::string jsonText(llvm::StringRef text);

} // namespace mpauth
