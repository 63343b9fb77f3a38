// SARIF 2.1.0 for code scanning (GitHub), SARIF viewers and editors. Every log must pass the
// SARIF Multitool's validator with GitHub's ingestion rules (tests/report checks it), so
// shapes here follow what that validator and GitHub accept, not only the schema.
#include "analyzer/driver/Version.h"
#include "analyzer/report/ReportModel.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/JSON.h"

#include <algorithm>
#include <vector>

namespace mpauth {

namespace {

using llvm::json::OStream;

constexpr const char *kSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";
constexpr const char *kSrcRoot = "%SRCROOT%";

const char *sarifLevel(Severity s) {
  return severityName(s); // SARIF's "error" | "warning" | "note" are mpauth's names
}

// GitHub code scanning's problem.severity: "error" | "warning" | "recommendation".
const char *problemSeverity(Severity s) {
  return s == Severity::Note ? "recommendation" : severityName(s);
}

llvm::StringRef ref(std::string_view s) {
  return llvm::StringRef(s.data(), s.size());
}

// The rule's help page as plain text for help.text: code fences dropped (their code indented
// instead), heading marks, emphasis and link syntax removed.
std::string markdownToPlainText(llvm::StringRef markdown) {
  std::string out;
  bool inFence = false;
  llvm::SmallVector<llvm::StringRef, 64> lines;
  markdown.split(lines, '\n');
  for (llvm::StringRef line : lines) {
    line = line.rtrim("\r");
    if (line.ltrim().startswith("```")) {
      inFence = !inFence;
      continue;
    }
    if (inFence) {
      out += "    ";
      out += line;
      out += '\n';
      continue;
    }
    if (line.startswith("#"))
      line = line.ltrim('#').ltrim();
    std::string plain;
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if ((c == '*' || c == '_') && i + 1 < line.size() && line[i + 1] == c) {
        ++i; // "**bold**" and "__bold__" read as plain words
        continue;
      }
      if (c == '[') {
        // "[text](url)" -> "text (url)"
        size_t close = line.find("](", i);
        size_t end = close == llvm::StringRef::npos ? close : line.find(')', close);
        if (end != llvm::StringRef::npos) {
          plain += line.slice(i + 1, close);
          plain += " (";
          plain += line.slice(close + 2, end);
          plain += ')';
          i = end;
          continue;
        }
      }
      plain += c;
    }
    out += plain;
    out += '\n';
  }
  while (!out.empty() && out.back() == '\n')
    out.pop_back();
  return out;
}

void writeRegion(OStream &j, llvm::StringRef key, const SourceSpan &span) {
  j.attributeObject(key, [&] {
    j.attribute("startLine", span.start.line);
    j.attribute("startColumn", span.start.column);
    j.attribute("endLine", span.end.line);
    j.attribute("endColumn", span.end.column);
  });
}

void writeArtifactLocation(OStream &j, llvm::StringRef path) {
  j.attributeObject("artifactLocation", [&] {
    j.attribute("uri", encodeUriPath(jsonText(path)));
    j.attribute("uriBaseId", kSrcRoot);
  });
}

void writePhysicalLocation(OStream &j, const SourceSpan &span) {
  j.attributeObject("physicalLocation", [&] {
    writeArtifactLocation(j, span.path);
    writeRegion(j, "region", span);
  });
}

// A SARIF message (or artifactContent) object: {"text": ...}.
void writeText(OStream &j, llvm::StringRef key, llvm::StringRef text) {
  j.attributeObject(key, [&] { j.attribute("text", jsonText(text)); });
}

void writeMessage(OStream &j, llvm::StringRef text) {
  writeText(j, "message", text);
}

class SarifReporter final : public Reporter {
public:
  void write(const RunResult &run, llvm::raw_ostream &out) override {
    RuleIndex.clear();
    for (size_t i = 0; i < run.rules.size(); ++i)
      RuleIndex.try_emplace(ref(run.rules[i]->id), i);
    {
      OStream j(out, /*IndentSize=*/2);
      j.object([&] {
        j.attribute("$schema", kSchemaUri);
        j.attribute("version", "2.1.0");
        j.attributeArray("runs", [&] { j.object([&] { writeRun(j, run); }); });
      });
    }
    out << '\n';
  }

private:
  void writeRun(OStream &j, const RunResult &run) {
    j.attributeObject("tool", [&] {
      j.attributeObject("driver", [&] {
        j.attribute("name", kToolName);
        j.attribute("version", kVersion);
        j.attribute("semanticVersion", kVersion);
        j.attribute("informationUri", kInformationUri);
        j.attributeArray("rules", [&] {
          for (const RuleDescriptor *rule : run.rules)
            writeRule(j, *rule);
        });
      });
    });
    j.attributeArray("invocations", [&] { j.object([&] { writeInvocation(j, run); }); });
    if (!run.srcRoot.empty()) {
      j.attributeObject("originalUriBaseIds", [&] {
        j.attributeObject(kSrcRoot,
                          [&] { j.attribute("uri", directoryFileUri(jsonText(run.srcRoot))); });
      });
    }
    j.attribute("columnKind", "unicodeCodePoints");
    j.attributeArray("results", [&] {
      for (const Diagnostic &d : run.diagnostics)
        writeResult(j, run, d);
    });
  }

  void writeRule(OStream &j, const RuleDescriptor &rule) {
    j.object([&] {
      j.attribute("id", jsonText(ref(rule.id)));
      j.attribute("name", jsonText(ref(rule.name)));
      writeText(j, "shortDescription", ref(rule.title));
      writeText(j, "fullDescription", ref(rule.description));
      j.attributeObject("help", [&] {
        if (rule.helpMarkdown.empty()) {
          j.attribute("text", jsonText(ref(rule.description)));
          return;
        }
        j.attribute("text", jsonText(markdownToPlainText(ref(rule.helpMarkdown))));
        j.attribute("markdown", jsonText(ref(rule.helpMarkdown)));
      });
      j.attribute("helpUri", std::string(kRuleDocsBaseUri) + encodeUriPath(ref(rule.id)) + ".md");
      j.attributeObject("defaultConfiguration",
                        [&] { j.attribute("level", sarifLevel(rule.defaultSeverity)); });
      j.attributeObject("properties", [&] {
        j.attributeArray("tags", [&] {
          for (std::string_view tag : rule.tags)
            j.value(jsonText(ref(tag)));
        });
        j.attribute("precision", precisionName(rule.precision));
        if (!rule.securitySeverity.empty())
          j.attribute("security-severity", jsonText(ref(rule.securitySeverity)));
        j.attribute("problem.severity", problemSeverity(rule.defaultSeverity));
      });
    });
  }

  void writeInvocation(OStream &j, const RunResult &run) {
    if (!run.commandLine.empty()) {
      j.attributeArray("arguments", [&] {
        for (const std::string &argument : run.commandLine)
          j.value(jsonText(argument));
      });
    }
    j.attribute("executionSuccessful", run.executionSuccessful);
    j.attributeArray("toolExecutionNotifications", [&] {
      for (const Notification &n : run.notifications) {
        j.object([&] {
          j.attribute("level", sarifLevel(n.level));
          writeMessage(j, n.message);
          if (!n.path.empty()) {
            j.attributeArray("locations", [&] {
              j.object([&] {
                j.attributeObject("physicalLocation", [&] {
                  writeArtifactLocation(j, n.path);
                  if (n.line) {
                    j.attributeObject("region", [&] {
                      j.attribute("startLine", *n.line);
                      if (n.column)
                        j.attribute("startColumn", *n.column);
                    });
                  }
                });
              });
            });
          }
          if (!n.id.empty())
            j.attributeObject("descriptor", [&] { j.attribute("id", jsonText(n.id)); });
        });
      }
    });
  }

  void writeResult(OStream &j, const RunResult &run, const Diagnostic &d) {
    j.object([&] {
      llvm::StringRef ruleId = ruleIdOf(d);
      j.attribute("ruleId", jsonText(ruleId));
      auto index = RuleIndex.find(ruleId);
      if (index != RuleIndex.end())
        j.attribute("ruleIndex", static_cast<int64_t>(index->second));
      j.attribute("level", sarifLevel(d.severity));
      writeMessage(j, messageOf(d));
      // A location outside the run's file table (a caller's bug) is left out rather than
      // written as line 0, which no consumer accepts.
      if (SourceSpan primary = resolveSpan(run, d.primary); primary.file) {
        j.attributeArray("locations",
                         [&] { j.object([&] { writePhysicalLocation(j, primary); }); });
      }
      j.attributeObject("partialFingerprints",
                        [&] { j.attribute(kFingerprintKey, findingFingerprint(run, d)); });
      if (!d.related.empty()) {
        j.attributeArray("relatedLocations", [&] {
          int64_t id = 0;
          for (const RelatedLocation &related : d.related) {
            if (!fileOf(run, related.where))
              continue;
            j.object([&] {
              j.attribute("id", ++id);
              writePhysicalLocation(j, resolveSpan(run, related.where));
              writeMessage(j, related.message);
            });
          }
        });
      }
      if (!d.flow.empty())
        writeCodeFlow(j, run, d);
      if (d.fix)
        writeFix(j, run, *d.fix);
      if (d.suppression) {
        j.attributeArray("suppressions", [&] {
          j.object([&] {
            j.attribute("kind", "inSource");
            j.attribute("justification", jsonText(d.suppression->justification));
          });
        });
      }
    });
  }

  void writeCodeFlow(OStream &j, const RunResult &run, const Diagnostic &d) {
    j.attributeArray("codeFlows", [&] {
      j.object([&] {
        j.attributeArray("threadFlows", [&] {
          j.object([&] {
            j.attributeArray("locations", [&] {
              for (const FlowStep &step : d.flow) {
                if (!fileOf(run, step.where))
                  continue;
                j.object([&] {
                  j.attributeObject("location", [&] {
                    writePhysicalLocation(j, resolveSpan(run, step.where));
                    writeMessage(j, step.message);
                  });
                });
              }
            });
          });
        });
      });
    });
  }

  void writeFix(OStream &j, const RunResult &run, const Fix &fix) {
    // SARIF groups a fix's replacements by file, in the order the files first appear.
    std::vector<uint32_t> files;
    for (const TextEdit &edit : fix.edits)
      if (fileOf(run, edit.range) &&
          std::find(files.begin(), files.end(), edit.range.file) == files.end())
        files.push_back(edit.range.file);
    j.attributeArray("fixes", [&] {
      j.object([&] {
        writeText(j, "description", fix.description);
        j.attributeArray("artifactChanges", [&] {
          for (uint32_t file : files) {
            j.object([&] {
              writeArtifactLocation(j, run.files[file]->path());
              j.attributeArray("replacements", [&] {
                for (const TextEdit &edit : fix.edits) {
                  if (edit.range.file != file)
                    continue;
                  j.object([&] {
                    writeRegion(j, "deletedRegion", resolveSpan(run, edit.range));
                    writeText(j, "insertedContent", edit.replacement);
                  });
                }
              });
            });
          }
        });
      });
    });
  }

  llvm::StringMap<size_t> RuleIndex;
};

} // namespace

std::unique_ptr<Reporter> makeSarifReporter() {
  return std::make_unique<SarifReporter>();
}

} // namespace mpauth
