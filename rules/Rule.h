// What a rule is: a descriptor plus two checks. `checkFile` runs while the file's tree is
// alive (possibly on several threads at once, one file each); `checkProject` runs once after
// every file, on tree-free facts the rule deferred and the project-wide module graph.
#pragma once

#include "analyzer/diagnostics/Diagnostic.h"
#include "analyzer/project/Project.h"
#include "analyzer/semantics/Handlers.h"
#include "analyzer/semantics/Module.h"
#include "analyzer/semantics/ModuleGraph.h"
#include "analyzer/source/SourceFile.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace mpauth {

// Builds one diagnostic in place: report(...).related(...).fix(...).
class DiagnosticBuilder {
public:
  explicit DiagnosticBuilder(Diagnostic &d) : D(d) {}
  DiagnosticBuilder &severity(Severity s) {
    D.severity = s;
    return *this;
  }
  DiagnosticBuilder &related(Location where, std::string message) {
    D.related.push_back({where, std::move(message)});
    return *this;
  }
  DiagnosticBuilder &step(Location where, std::string message) {
    D.flow.push_back({where, std::move(message)});
    return *this;
  }
  DiagnosticBuilder &fix(std::string description, std::vector<TextEdit> edits) {
    D.fix = Fix{std::move(description), std::move(edits)};
    return *this;
  }

private:
  Diagnostic &D;
};

// Rule-specific facts kept from the file phase for the project phase.
struct Deferred {
  virtual ~Deferred() = default;
  size_t file = 0;
};

// Names a project's .mpauth.json adds to what the rules know (SPEC 4 "Config"); empty unless
// configured. Rules read it through FileContext::settings() and ProjectContext::settings().
struct RuleSettings {
  std::vector<std::string> asyncApis;            // extra client async APIs ("wx.myPay")
  std::vector<std::string> httpClients;          // extra HTTP client modules or callees
  std::vector<std::string> trustedEventFields;   // event fields the platform injects
  std::vector<std::string> untrustedEventFields; // event fields that carry client-chosen ids
  static const RuleSettings &none() {
    static const RuleSettings empty;
    return empty;
  }
};

struct FileContext {
  size_t fileIndex;
  const SourceFile &source;
  const ProjectModel &project;
  FileRole role;
  const ModuleSemantics &semantics;
  std::vector<Diagnostic> &diagnostics;
  std::vector<std::unique_ptr<Deferred>> &deferred;
  const RuleDescriptor *currentRule = nullptr;
  // Handlers bound by the page's template (the .wxml beside it, or the .vue template).
  std::vector<std::string> boundHandlers = {};
  std::string templatePath = {}; // display path of that template, empty if none

  std::string_view text() const { return semantics.source(); }
  // Who calls each function (lifecycle, bound handler, callback, helper), built on first use.
  const HandlerModel &handlers() const {
    if (!Handlers)
      Handlers = std::make_unique<HandlerModel>(semantics, boundHandlers);
    return *Handlers;
  }
  mutable std::unique_ptr<HandlerModel> Handlers = nullptr;
  Location locationOf(Node n) const {
    return {static_cast<uint32_t>(fileIndex), n.begin(), n.end()};
  }
  // Reports at `node`; the enclosing statement becomes the finding's stable context.
  DiagnosticBuilder report(Node at, std::string_view messageId, MessageArgs args = {});
  void defer(std::unique_ptr<Deferred> facts) {
    facts->file = fileIndex;
    deferred.push_back(std::move(facts));
  }
  const CloudFunction *cloudFunction() const { return project.functionOf(fileIndex); }
  const RuleSettings &settings() const { return Settings ? *Settings : RuleSettings::none(); }
  const RuleSettings *Settings = nullptr; // set by the driver from the configuration
};

struct ProjectContext {
  const ProjectModel &project;
  const ModuleGraph &modules;
  const std::vector<const SourceFile *> &files;
  std::vector<Diagnostic> &diagnostics;
  const RuleDescriptor *currentRule = nullptr;

  DiagnosticBuilder report(Location at, Location context, std::string_view messageId,
                           MessageArgs args = {});
  const RuleSettings &settings() const { return Settings ? *Settings : RuleSettings::none(); }
  const RuleSettings *Settings = nullptr; // set by the driver from the configuration
};

class Rule {
public:
  virtual ~Rule() = default;
  virtual const RuleDescriptor &descriptor() const = 0;
  // Substrings without which a file cannot matter to this rule (a cheap pre-parse filter).
  // Empty: every file of the rule's roles matters.
  virtual std::vector<std::string_view> triggers() const { return {}; }
  virtual void checkFile(FileContext &ctx) const = 0;
  virtual void checkProject(ProjectContext &, const std::vector<const Deferred *> &) const {}
};

// The enclosing statement (or declaration) of a node: what fingerprints hash.
Node enclosingStatement(Node node);

// Source text for a message: whitespace runs folded to one space, cut (never inside a UTF-8
// sequence) to 60 bytes with an ellipsis.
std::string compact(std::string_view text);

} // namespace mpauth
