// mpauth's own JSON format, for scripts and dashboards. The schema is a contract documented in
// docs/json-output.md: change both together, and bump kJsonSchemaVersion on any change that
// could break a reader (removing or renaming a field, changing a type or a meaning).
#include "analyzer/driver/Version.h"
#include "analyzer/report/ReportModel.h"

#include "llvm/Support/JSON.h"

namespace mpauth {

namespace {

using llvm::json::OStream;

void writePosition(OStream &j, const SourceSpan &span) {
  j.attribute("path", jsonText(span.path));
  j.attribute("line", span.start.line);
  j.attribute("column", span.start.column);
  j.attribute("endLine", span.end.line);
  j.attribute("endColumn", span.end.column);
}

void writeNotes(OStream &j, const RunResult &run, llvm::StringRef key, const auto &notes) {
  j.attributeArray(key, [&] {
    for (const auto &note : notes) {
      j.object([&] {
        writePosition(j, resolveSpan(run, note.where));
        j.attribute("message", jsonText(note.message));
      });
    }
  });
}

void writeFix(OStream &j, const RunResult &run, const Fix &fix) {
  j.object([&] {
    j.attribute("description", jsonText(fix.description));
    j.attributeArray("edits", [&] {
      for (const TextEdit &edit : fix.edits) {
        const SourceFile *file = fileOf(run, edit.range);
        // Offsets count the bytes of the file as stored, so a UTF-8 BOM (which mpauth strips
        // before analysis) is added back for a reader that applies edits to the raw file.
        uint32_t bom = file && file->hadBom() ? 3 : 0;
        j.object([&] {
          writePosition(j, resolveSpan(run, edit.range));
          j.attribute("offset", edit.range.begin + bom);
          j.attribute("length",
                      edit.range.end > edit.range.begin ? edit.range.end - edit.range.begin : 0);
          j.attribute("replacement", jsonText(edit.replacement));
        });
      }
    });
  });
}

void writeFinding(OStream &j, const RunResult &run, const Diagnostic &d) {
  j.object([&] {
    j.attribute("ruleId", jsonText(ruleIdOf(d)));
    j.attribute("severity", severityName(d.severity));
    j.attribute("messageId", jsonText(d.messageId));
    j.attribute("message", jsonText(messageOf(d)));
    j.attributeObject("arguments", [&] {
      for (const auto &[name, value] : d.args)
        j.attribute(jsonText(name), jsonText(value));
    });
    writePosition(j, resolveSpan(run, d.primary));
    writeNotes(j, run, "related", d.related);
    writeNotes(j, run, "flow", d.flow);
    j.attributeBegin("fix");
    if (d.fix)
      writeFix(j, run, *d.fix);
    else
      j.value(nullptr);
    j.attributeEnd();
    j.attribute("fingerprint", findingFingerprint(run, d));
    j.attribute("suppressed", d.suppression.has_value());
    if (d.suppression)
      j.attribute("justification", jsonText(d.suppression->justification));
    else
      j.attribute("justification", nullptr);
  });
}

void writeNotification(OStream &j, const Notification &n) {
  j.object([&] {
    j.attribute("id", jsonText(n.id));
    j.attribute("level", severityName(n.level));
    j.attribute("message", jsonText(n.message));
    if (n.path.empty())
      j.attribute("path", nullptr);
    else
      j.attribute("path", jsonText(n.path));
    if (n.line)
      j.attribute("line", *n.line);
    else
      j.attribute("line", nullptr);
    if (n.column)
      j.attribute("column", *n.column);
    else
      j.attribute("column", nullptr);
  });
}

class JsonReporter final : public Reporter {
public:
  void write(const RunResult &run, llvm::raw_ostream &out) override {
    FindingCounts counts = countFindings(run);
    {
      OStream j(out, /*IndentSize=*/2);
      j.object([&] {
        j.attribute("schemaVersion", kJsonSchemaVersion);
        j.attributeObject("tool", [&] {
          j.attribute("name", kToolName);
          j.attribute("version", kVersion);
        });
        j.attributeArray("findings", [&] {
          for (const Diagnostic &d : run.diagnostics)
            writeFinding(j, run, d);
        });
        j.attributeArray("notifications", [&] {
          for (const Notification &n : run.notifications)
            writeNotification(j, n);
        });
        j.attributeObject("summary", [&] {
          j.attribute("filesAnalyzed", static_cast<int64_t>(run.filesAnalyzed));
          j.attribute("problems", static_cast<int64_t>(counts.reported()));
          j.attribute("errors", static_cast<int64_t>(counts.errors));
          j.attribute("warnings", static_cast<int64_t>(counts.warnings));
          j.attribute("notes", static_cast<int64_t>(counts.notes));
          j.attribute("suppressed", static_cast<int64_t>(counts.suppressed));
          j.attribute("notifications", static_cast<int64_t>(run.notifications.size()));
          j.attribute("executionSuccessful", run.executionSuccessful);
        });
      });
    }
    out << '\n';
  }
};

} // namespace

std::unique_ptr<Reporter> makeJsonReporter() {
  return std::make_unique<JsonReporter>();
}

} // namespace mpauth
