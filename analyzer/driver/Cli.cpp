#include "analyzer/driver/Cli.h"

#include "analyzer/driver/Driver.h"
#include "analyzer/driver/Version.h"
#include "analyzer/driver/Workflow.h"
#include "analyzer/report/Reporter.h"
#include "rules/Registry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

#include <cstdlib>
#include <exception>

namespace mpauth {

namespace cl = llvm::cl;

namespace {

enum ExitCode { kClean = 0, kFindings = 1, kUsage = 2, kInternal = 3 };

enum class Format { Text, Json, Sarif, Github, Gitlab };
enum class ColorMode { Auto, Always, Never };
enum class FailOn { Error, Warning, Note, Never };

struct Options {
  cl::SubCommand Check{"check", "Analyze a mini program project (default: the current directory)"};
  cl::SubCommand Rules{"rules", "List the rules with their default severity"};
  cl::SubCommand Explain{"explain", "Print the help page of a rule"};
  cl::SubCommand Init{"init", "Write a starting .mpauth.json (every rule at its default "
                              "severity) in the current directory, or in DIR"};

  cl::OptionCategory Category{"mpauth check options"};
  cl::list<std::string> Paths{cl::Positional, cl::desc("[PATH...]"), cl::sub(Check),
                              cl::cat(Category)};
  cl::opt<Format> OutputFormat{
      "format",
      cl::desc("Output format"),
      cl::init(Format::Text),
      cl::sub(Check),
      cl::cat(Category),
      cl::values(clEnumValN(Format::Text, "text", "human-readable, with code frames (default)"),
                 clEnumValN(Format::Json, "json", "versioned JSON (docs/json-output.md)"),
                 clEnumValN(Format::Sarif, "sarif", "SARIF 2.1.0 for code scanning"),
                 clEnumValN(Format::Github, "github", "GitHub Actions workflow commands"),
                 clEnumValN(Format::Gitlab, "gitlab", "GitLab Code Quality report"))};
  cl::opt<std::string> Output{"output", cl::desc("Write the report to FILE instead of stdout"),
                              cl::value_desc("FILE"), cl::sub(Check), cl::cat(Category)};
  cl::opt<FailOn> FailLevel{
      "fail-on",
      cl::desc("Exit with 1 when a finding at or above this severity remains"),
      cl::init(FailOn::Warning),
      cl::sub(Check),
      cl::cat(Category),
      cl::values(clEnumValN(FailOn::Error, "error", "errors only"),
                 clEnumValN(FailOn::Warning, "warning", "warnings and errors (default)"),
                 clEnumValN(FailOn::Note, "note", "any finding"),
                 clEnumValN(FailOn::Never, "never", "never fail because of findings"))};
  cl::opt<ColorMode> Color{
      "color",
      cl::desc("Colors in text output"),
      cl::init(ColorMode::Auto),
      cl::sub(Check),
      cl::cat(Category),
      cl::values(clEnumValN(ColorMode::Auto, "auto", "when stdout is a terminal (default)"),
                 clEnumValN(ColorMode::Always, "always", "always"),
                 clEnumValN(ColorMode::Never, "never", "never"))};
  cl::opt<unsigned> Jobs{"j",
                         cl::desc("Number of parallel jobs (default: one per core)"),
                         cl::init(0),
                         cl::sub(Check),
                         cl::cat(Category),
                         cl::Prefix};
  cl::list<std::string> Enable{"enable",
                               cl::desc("Run only these rules (repeatable)"),
                               cl::value_desc("RULE"),
                               cl::sub(Check),
                               cl::cat(Category),
                               cl::CommaSeparated};
  cl::list<std::string> Disable{"disable",
                                cl::desc("Do not run these rules (repeatable)"),
                                cl::value_desc("RULE"),
                                cl::sub(Check),
                                cl::cat(Category),
                                cl::CommaSeparated};
  cl::opt<bool> Quiet{"quiet", cl::desc("Print findings only (no summary, no tool notes)"),
                      cl::sub(Check), cl::cat(Category)};
  cl::opt<std::string> Lang{
      "lang",         cl::desc("Message language: en or zh-CN (default: from LANG)"),
      cl::sub(Check), cl::sub(Explain),
      cl::sub(Rules), cl::cat(Category)};
  cl::opt<std::string> RuleId{cl::Positional, cl::desc("RULE"), cl::sub(Explain)};

  // Fitting a team's workflow (docs/configuration.md).
  cl::opt<std::string> ConfigFile{
      "config",
      cl::desc("Configuration file (default: the nearest .mpauth.json from the project root up)"),
      cl::value_desc("FILE"), cl::sub(Check), cl::cat(Category)};
  cl::opt<bool> Fix{"fix", cl::desc("Apply every safe fix, then report what remains"),
                    cl::sub(Check), cl::cat(Category)};
  cl::opt<bool> FixDryRun{"fix-dry-run",
                          cl::desc("Print the fixes as a unified diff on stdout; change nothing"),
                          cl::sub(Check), cl::cat(Category)};
  cl::opt<std::string> BaselineFile{
      "baseline", cl::desc("Report only the findings that the baseline FILE does not hold"),
      cl::value_desc("FILE"), cl::sub(Check), cl::cat(Category)};
  cl::opt<std::string> WriteBaseline{"write-baseline",
                                     cl::desc("Record every current finding in the baseline FILE"),
                                     cl::value_desc("FILE"), cl::sub(Check), cl::cat(Category)};
  cl::opt<std::string> StdinFilename{
      "stdin-filename",
      cl::desc("Check standard input as the file NAME of the project (editors, staged content)"),
      cl::value_desc("NAME"), cl::sub(Check), cl::cat(Category)};
  cl::opt<std::string> InitDir{cl::Positional, cl::desc("[DIR]"), cl::sub(Init)};
  cl::opt<bool> PrintSchema{
      "print-schema",
      cl::desc("Print the JSON Schema of .mpauth.json (schemas/mpauth.schema.json) instead"),
      cl::sub(Init)};
};

std::string languageFrom(const std::string &flag) {
  if (!flag.empty())
    return flag;
  for (const char *var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    if (const char *v = std::getenv(var); v && *v) {
      llvm::StringRef value(v);
      return value.startswith("zh") ? "zh-CN" : "en";
    }
  }
  return "en";
}

bool failsAt(Severity s, FailOn level) {
  switch (level) {
  case FailOn::Never:
    return false;
  case FailOn::Note:
    return true;
  case FailOn::Warning:
    return s >= Severity::Warning;
  case FailOn::Error:
    return s == Severity::Error;
  }
  return true;
}

int listRules(const std::string &lang) {
  llvm::raw_ostream &out = llvm::outs();
  out << fmt::format("{:<26} {:<8} {:<7} {:<4} {}\n", "RULE", "SEVERITY", "SIDE", "FIX",
                     "DESCRIPTION");
  for (const auto &rule : allRules()) {
    const RuleDescriptor &d = rule->descriptor();
    std::string side = (d.roles & AppliesToClient) && (d.roles & AppliesToCloud) ? "both"
                       : (d.roles & AppliesToClient)                             ? "client"
                                                                                 : "cloud";
    std::string_view title = lang == "zh-CN" && !d.titleZhCN.empty() ? d.titleZhCN : d.title;
    out << fmt::format("{:<26} {:<8} {:<7} {:<4} {}\n", d.id, severityName(d.defaultSeverity), side,
                       d.fix == FixSafety::Safe ? "yes" : "-", title);
  }
  return kClean;
}

int explainRule(const std::string &id, const std::string &lang) {
  const Rule *rule = findRule(id);
  if (!rule) {
    llvm::errs() << fmt::format("mpauth: error: unknown rule '{}'; `mpauth rules` lists them\n",
                                id);
    return kUsage;
  }
  const RuleDescriptor &d = rule->descriptor();
  llvm::raw_ostream &out = llvm::outs();
  bool zh = lang == "zh-CN";
  out << fmt::format("{} — {}\n", d.id, zh && !d.titleZhCN.empty() ? d.titleZhCN : d.title);
  out << fmt::format("default severity: {}   fix: {}   precision: {}   tags: {}\n\n",
                     severityName(d.defaultSeverity), d.fix == FixSafety::Safe ? "yes" : "no",
                     precisionName(d.precision),
                     llvm::join(std::vector<std::string>(d.tags.begin(), d.tags.end()), ", "));
  // docs/rules/zh-CN/<id>.md when there is one; the English page otherwise.
  std::string_view translated = zh ? embeddedRuleDoc("zh-CN/" + id) : std::string_view();
  if (!translated.empty())
    out << translated;
  else if (!d.helpMarkdown.empty())
    out << d.helpMarkdown;
  else
    out << d.description << "\n";
  return kClean;
}

int runCheck(Options &o, int argc, char **argv) {
  AnalysisOptions options;
  options.targets.assign(o.Paths.begin(), o.Paths.end());
  options.jobs = o.Jobs;
  options.enable.assign(o.Enable.begin(), o.Enable.end());
  options.disable.assign(o.Disable.begin(), o.Disable.end());
  options.lang = languageFrom(o.Lang);
  if (options.lang != "en" && options.lang != "zh-CN") {
    llvm::errs() << fmt::format("mpauth: error: unknown language '{}' (use en or zh-CN)\n",
                                options.lang);
    return kUsage;
  }
  for (int i = 0; i < argc; ++i)
    options.commandLine.emplace_back(argv[i]);

  options.configFile = o.ConfigFile;
  options.findConfig = o.ConfigFile.empty();
  WorkflowOptions workflow;
  if (o.Fix && o.FixDryRun) {
    llvm::errs() << "mpauth: error: --fix and --fix-dry-run exclude each other\n";
    return kUsage;
  }
  workflow.fix = o.Fix         ? WorkflowOptions::FixMode::Apply
                 : o.FixDryRun ? WorkflowOptions::FixMode::DryRun
                               : WorkflowOptions::FixMode::None;
  workflow.baselineFile = o.BaselineFile;
  workflow.writeBaselineFile = o.WriteBaseline;
  workflow.stdinFilename = o.StdinFilename;
  if (!o.StdinFilename.empty()) {
    auto input = llvm::MemoryBuffer::getSTDIN();
    if (!input) {
      llvm::errs() << fmt::format("mpauth: error: cannot read standard input: {}\n",
                                  input.getError().message());
      return kUsage;
    }
    workflow.stdinText = (*input)->getBuffer().str();
  }

  auto outcome = runWorkflow(options, workflow);
  if (!outcome) {
    llvm::errs() << "mpauth: error: " << llvm::toString(outcome.takeError()) << "\n";
    return kUsage;
  }
  RunResult &run = outcome->analysis->run;
  // --fix-dry-run: stdout carries the diff alone (for `patch` or a review); the report goes to
  // --output when one is given.
  bool dryRun = workflow.fix == WorkflowOptions::FixMode::DryRun;
  if (dryRun) {
    llvm::outs() << outcome->diff;
    llvm::outs().flush();
  }

  std::unique_ptr<llvm::raw_fd_ostream> file;
  llvm::raw_ostream *out = dryRun ? &llvm::nulls() : &llvm::outs();
  if (!o.Output.empty()) {
    std::error_code ec;
    file = std::make_unique<llvm::raw_fd_ostream>(o.Output, ec, llvm::sys::fs::OF_None);
    if (ec) {
      llvm::errs() << fmt::format("mpauth: error: cannot write {}: {}\n", o.Output.getValue(),
                                  ec.message());
      return kUsage;
    }
    out = file.get();
  }

  std::unique_ptr<Reporter> reporter;
  switch (o.OutputFormat) {
  case Format::Text: {
    TextOptions text;
    bool toTerminal = o.Output.empty() && llvm::sys::Process::StandardOutIsDisplayed();
    text.color = o.Color == ColorMode::Always ||
                 (o.Color == ColorMode::Auto && toTerminal && !std::getenv("NO_COLOR"));
    text.quiet = o.Quiet;
    reporter = makeTextReporter(text);
    break;
  }
  case Format::Json:
    reporter = makeJsonReporter();
    break;
  case Format::Sarif:
    reporter = makeSarifReporter();
    break;
  case Format::Github:
    reporter = makeGithubReporter();
    break;
  case Format::Gitlab:
    reporter = makeGitlabReporter();
    break;
  }
  reporter->write(run, *out);
  out->flush();

  // Machine formats carry notifications inside; people still see them on stderr.
  if ((o.OutputFormat != Format::Text || (dryRun && o.Output.empty())) && !o.Quiet)
    for (const Notification &n : run.notifications)
      llvm::errs() << fmt::format("mpauth: {}: {}{}\n", severityName(n.level),
                                  n.path.empty() ? "" : n.path + ": ", n.message);

  if (!o.Quiet)
    for (const std::string &message : outcome->messages)
      llvm::errs() << "mpauth: " << message << "\n";

  if (file && file->has_error()) {
    llvm::errs() << fmt::format("mpauth: error: cannot write {}\n", o.Output.getValue());
    file->clear_error();
    return kUsage;
  }
  for (const Diagnostic &d : run.diagnostics)
    if (!d.suppression && failsAt(d.severity, o.FailLevel))
      return kFindings;
  return kClean;
}

// `mpauth init [DIR]`: a starting configuration, never over an existing one.
int writeStarterConfig(const std::string &dir) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, kConfigFileName);
  if (!dir.empty() && !llvm::sys::fs::is_directory(dir)) {
    llvm::errs() << fmt::format("mpauth: error: {} is not a directory\n", dir);
    return kUsage;
  }
  std::error_code error;
  llvm::raw_fd_ostream out(path, error, llvm::sys::fs::CD_CreateNew);
  if (error == std::errc::file_exists) {
    llvm::errs() << fmt::format("mpauth: error: {} already exists; not overwritten\n",
                                path.str().str());
    return kUsage;
  }
  if (error) {
    llvm::errs() << fmt::format("mpauth: error: cannot write {}: {}\n", path.str().str(),
                                error.message());
    return kUsage;
  }
  out << starterConfig();
  out.close();
  if (out.has_error()) {
    llvm::errs() << fmt::format("mpauth: error: cannot write {}: {}\n", path.str().str(),
                                out.error().message());
    out.clear_error();
    return kUsage;
  }
  llvm::errs() << fmt::format("mpauth: wrote {}: every rule at its default severity; "
                              "docs/configuration.md explains the keys\n",
                              path.str().str());
  return kClean;
}

} // namespace

int runCli(int argc, char **argv) {
  try {
    Options o;
    cl::SetVersionPrinter(
        [](llvm::raw_ostream &os) { os << kToolName << " " << kVersion << "\n"; });
    std::string errors;
    llvm::raw_string_ostream errorStream(errors);
    if (!cl::ParseCommandLineOptions(
            argc, argv,
            "mpauth — auth defects in WeChat Mini Programs and their CloudBase cloud functions\n\n"
            "  mpauth check [PATH...]   analyze a project (see `mpauth check --help`)\n"
            "  mpauth rules             list the rules\n"
            "  mpauth explain RULE      print a rule's help page\n"
            "  mpauth init [DIR]        write a starting .mpauth.json\n",
            &errorStream, nullptr, /*LongOptionsUseDoubleDash=*/true)) {
      errorStream.flush();
      llvm::errs() << errors;
      return kUsage;
    }
    std::string lang = languageFrom(o.Lang);
    if (o.Check)
      return runCheck(o, argc, argv);
    if (o.Rules)
      return listRules(lang);
    if (o.Init) {
      if (o.PrintSchema) {
        llvm::outs() << configSchema();
        return kClean;
      }
      return writeStarterConfig(o.InitDir);
    }
    if (o.Explain) {
      if (o.RuleId.empty()) {
        llvm::errs() << "mpauth: error: `mpauth explain` needs a rule id; `mpauth rules` lists "
                        "them\n";
        return kUsage;
      }
      return explainRule(o.RuleId, lang);
    }
    llvm::errs() << "mpauth: error: no command given; try `mpauth check`, `mpauth rules`, "
                    "`mpauth explain RULE` or `mpauth --help`\n";
    return kUsage;
  } catch (const std::exception &e) {
    llvm::errs() << "mpauth: internal error: " << e.what() << "\n";
    return kInternal;
  }
}

} // namespace mpauth
