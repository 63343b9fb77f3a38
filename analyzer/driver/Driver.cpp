#include "analyzer/driver/Driver.h"

#include "analyzer/semantics/Module.h"
#include "analyzer/semantics/ModuleGraph.h"
#include "analyzer/source/EmbeddedScript.h"
#include "analyzer/source/TemplateBindings.h"
#include "analyzer/syntax/Syntax.h"
#include "rules/Registry.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>

namespace mpauth {

namespace {

// Per-file output of the file phase. The tree is gone by the time anyone reads this.
struct FileFacts {
  bool analyzed = false;
  FileRole role = FileRole::Other;
  std::vector<Diagnostic> diagnostics;
  std::vector<std::unique_ptr<Deferred>> deferred; // tagged by rule index below
  std::vector<size_t> deferredRule;
  ValuePtr exports;
  std::vector<size_t> importedFiles;
  std::vector<Notification> notifications;
  std::vector<SuppressionDirective> suppressions;
};

constexpr uint64_t kParseTimeoutMicros = 20'000'000; // a pathological file must not hang a run
constexpr uint32_t kMaxUnclosedBrackets = 4096;

Parser &threadParser() {
  thread_local Parser parser;
  return parser;
}

std::string firstErrorMessage(const SourceFile &file, Node error) {
  LineColumn at = file.lineColumn(error.begin());
  if (error.isMissing())
    return fmt::format("syntax error at {}:{} (missing '{}'); the file is analyzed where the "
                       "tree allows",
                       at.line, at.column, error.type());
  return fmt::format("syntax error at {}:{}; the file is analyzed where the tree allows", at.line,
                     at.column);
}

class Pipeline {
public:
  Pipeline(const AnalysisOptions &options, Analysis &analysis, std::vector<const Rule *> rules)
      : Options(options), A(analysis), Rules(std::move(rules)),
        Facts(analysis.project.files.size()) {
    for (const Rule *rule : Rules) {
      std::vector<std::string_view> t = rule->triggers();
      if (t.empty())
        EveryFileMatters = true;
      Triggers.insert(Triggers.end(), t.begin(), t.end());
    }
  }

  void run() {
    loadSources();
    std::vector<size_t> wave;
    for (size_t i = 0; i < Facts.size(); ++i)
      if (A.sources[i] && mayMatter(*A.sources[i]))
        wave.push_back(i);
    // Later waves parse the modules that analyzed files import (config modules, helpers), so
    // cross-file facts resolve without parsing files that cannot matter.
    for (int round = 0; !wave.empty() && round < 64; ++round) {
      analyzeAll(wave);
      std::vector<size_t> next;
      for (size_t i : wave)
        for (size_t j : Facts[i].importedFiles)
          if (!Facts[j].analyzed && A.sources[j] &&
              std::find(next.begin(), next.end(), j) == next.end())
            next.push_back(j);
      std::sort(next.begin(), next.end());
      wave = std::move(next);
    }
    joinProject();
  }

private:
  // Files are read and checked on the pool as well; notifications keep the file order.
  void loadSources() {
    size_t n = Facts.size();
    A.sources.resize(n);
    std::vector<std::optional<Notification>> problems(n);
    std::vector<char> vueTs(n, 0);
    forEachOnPool(n, [&](size_t i) { loadSource(i, problems[i], vueTs[i]); });
    for (size_t i = 0; i < n; ++i) {
      if (problems[i])
        A.run.notifications.push_back(std::move(*problems[i]));
      if (vueTs[i])
        VueTs.push_back(i);
    }
  }

  void loadSource(size_t i, std::optional<Notification> &problem, char &vueTs) {
    const ProjectFile &pf = A.project.files[i];
    auto given = Options.contents.find(pf.absolutePath);
    auto loaded = given != Options.contents.end()
                      ? llvm::Expected<std::unique_ptr<SourceFile>>(
                            SourceFile::fromText(pf.displayPath, given->second))
                      : SourceFile::load(pf.absolutePath, pf.displayPath, UINT64_MAX);
    if (!loaded) {
      problem = Notification{
          Severity::Warning, llvm::toString(loaded.takeError()), pf.displayPath, {}, {},
          "unreadable-file"};
      return;
    }
    std::unique_ptr<SourceFile> file = std::move(*loaded);
    if (file->problem() != TextProblem::None) {
      const char *why = file->problem() == TextProblem::Binary ? "it contains NUL bytes"
                                                               : "it is not valid UTF-8 text";
      problem = Notification{pf.explicitlyNamed ? Severity::Warning : Severity::Note,
                             fmt::format("skipped: {}", why),
                             pf.displayPath,
                             {},
                             {},
                             "skipped-file"};
      return;
    }
    if (llvm::sys::path::extension(pf.absolutePath) == ".vue") {
      EmbeddedScript script = extractVueScripts(file->text());
      vueTs = script.typescript;
      file->setAnalyzedText(std::move(script.text));
    }
    A.sources[i] = std::move(file);
  }

  unsigned jobCount() const {
    return Options.jobs ? Options.jobs : llvm::hardware_concurrency().compute_thread_count();
  }

  // Runs work(0..n-1) on --jobs threads, each thread taking the next index.
  template <typename Work> void forEachOnPool(size_t n, Work work) {
    unsigned jobs = jobCount();
    if (jobs <= 1 || n < 64) {
      for (size_t i = 0; i < n; ++i)
        work(i);
      return;
    }
    std::atomic<size_t> next{0};
    llvm::ThreadPool pool(llvm::hardware_concurrency(jobs));
    for (unsigned t = 0; t < jobs; ++t)
      pool.async([&] {
        for (size_t i; (i = next.fetch_add(1)) < n;)
          work(i);
      });
    pool.wait();
  }

  bool mayMatter(const SourceFile &file) const {
    if (EveryFileMatters)
      return true;
    llvm::StringRef text = file.text();
    for (std::string_view t : Triggers)
      if (text.contains(llvm::StringRef(t.data(), t.size())))
        return true;
    return false;
  }

  void analyzeAll(const std::vector<size_t> &files) {
    unsigned jobs = jobCount();
    if (jobs <= 1 || files.size() < 2) {
      for (size_t i : files)
        analyzeFile(i);
      return;
    }
    // Largest files first: the pool takes tasks in order, so a large file queued last would
    // leave the other threads idle while it is parsed. Each file writes only its own facts, so
    // the order cannot change the result.
    std::vector<size_t> order(files);
    std::stable_sort(order.begin(), order.end(), [this](size_t a, size_t b) {
      return A.sources[a]->text().size() > A.sources[b]->text().size();
    });
    llvm::ThreadPool pool(llvm::hardware_concurrency(jobs));
    for (size_t i : order)
      pool.async([this, i] { analyzeFile(i); });
    pool.wait();
  }

  Dialect dialectOf(size_t index) const {
    const ProjectFile &pf = A.project.files[index];
    if (std::find(VueTs.begin(), VueTs.end(), index) != VueTs.end())
      return Dialect::TypeScript;
    return dialectForPath(pf.absolutePath).value_or(Dialect::JavaScript);
  }

  void analyzeFile(size_t index) {
    FileFacts &facts = Facts[index];
    facts.analyzed = true;
    const SourceFile &file = *A.sources[index];
    const ProjectFile &pf = A.project.files[index];
    std::string_view text(file.text().data(), file.text().size());

    // Real code never leaves thousands of brackets open; tree-sitter 0.20.7 crashes recovering
    // from tens of thousands (Syntax.h).
    if (uint32_t open = unclosedBrackets(text); open > kMaxUnclosedBrackets) {
      facts.notifications.push_back(
          {Severity::Warning,
           fmt::format("not analyzed: {} brackets are still open at the end of the file", open),
           pf.displayPath,
           {},
           {},
           "parse-limit"});
      return;
    }
    Parser &parser = threadParser();
    Dialect dialect = dialectOf(index);
    Tree tree = parser.parse(text, dialect, kParseTimeoutMicros);
    if (!tree) {
      bool tooLong = parser.lastFailure() != ParseFailure::TooManyChildren;
      facts.notifications.push_back(
          {Severity::Warning,
           tooLong ? "not analyzed: parsing took too long"
                   : "not analyzed: a syntax node has 65536 or more children (for example tens "
                     "of thousands of comment lines or unclosed brackets in a row), more than "
                     "the tree-sitter library in use can represent",
           pf.displayPath,
           {},
           {},
           tooLong ? "parse-timeout" : "parse-limit"});
      return;
    }
    // Taro and friends put type annotations in .js files: a .js file that only TypeScript
    // accepts is TypeScript.
    if (tree.root().hasError() && dialect == Dialect::JavaScript) {
      Tree ts = parser.parse(text, Dialect::TypeScript, kParseTimeoutMicros);
      if (ts && !ts.root().hasError())
        tree = std::move(ts);
    }
    if (auto error = firstSyntaxError(tree.root())) {
      LineColumn at = file.lineColumn(error->begin());
      facts.notifications.push_back({Severity::Warning, firstErrorMessage(file, *error),
                                     pf.displayPath, at.line, at.column, "parse-error"});
    }

    // Parents and walks of this tree read one index while the file is analyzed (Syntax.h);
    // it goes before the tree does.
    TreeIndex treeIndex(tree.root());
    const ProjectModel &project = A.project;
    ModuleSemantics semantics(tree.root(), text, static_cast<int>(index),
                              [&project, index](llvm::StringRef spec) -> int {
                                auto target = project.resolveImport(index, spec);
                                return target ? static_cast<int>(*target) : -1;
                              });
    facts.exports = semantics.exports();
    for (const std::string &spec : semantics.imports())
      if (auto target = project.resolveImport(index, spec))
        facts.importedFiles.push_back(*target);

    // Content evidence wins over location (SPEC 2).
    facts.role = pf.role;
    if (semantics.requiresServerSdk())
      facts.role = FileRole::Cloud;
    else if (semantics.callsAppPageOrComponent())
      facts.role = FileRole::Client;

    unsigned roleBit = facts.role == FileRole::Client  ? AppliesToClient
                       : facts.role == FileRole::Cloud ? AppliesToCloud
                                                       : AppliesToOther;
    // Suppression directives are read from the comment nodes while the tree is alive; the
    // substring test keeps the extra walk off files that have none.
    if (text.find("mpauth-ignore") != std::string_view::npos)
      facts.suppressions = collectSuppressions(tree.root(), file, static_cast<uint32_t>(index));

    std::vector<std::unique_ptr<Deferred>> deferred;
    FileContext ctx{index, file, project, facts.role, semantics, facts.diagnostics, deferred};
    ctx.Settings = &A.config.settings;
    if (facts.role == FileRole::Client)
      readTemplateBindings(index, ctx);
    for (size_t r = 0; r < Rules.size(); ++r) {
      const RuleDescriptor &d = Rules[r]->descriptor();
      if (!((d.roles | d.readsRoles) & roleBit))
        continue;
      ctx.currentRule = &Rules[r]->descriptor();
      size_t before = deferred.size();
      Rules[r]->checkFile(ctx);
      for (size_t k = before; k < deferred.size(); ++k) {
        facts.deferred.push_back(std::move(deferred[k]));
        facts.deferredRule.push_back(r);
      }
      deferred.resize(before);
    }
  }

  // The template that binds this page's handlers: `<name>.wxml` beside `<name>.js`, or the
  // template of a .vue file.
  void readTemplateBindings(size_t index, FileContext &ctx) const {
    const ProjectFile &pf = A.project.files[index];
    llvm::StringRef path = pf.absolutePath;
    std::vector<TemplateBinding> bindings;
    if (path.endswith(".vue")) {
      bindings = vueTemplateBindings(A.sources[index]->originalText());
      ctx.templatePath = pf.displayPath;
    } else {
      llvm::SmallString<256> wxml(path);
      llvm::sys::path::replace_extension(wxml, ".wxml");
      auto buffer = llvm::MemoryBuffer::getFile(wxml, /*IsText=*/false,
                                                /*RequiresNullTerminator=*/false);
      if (!buffer)
        return;
      bindings = wxmlBindings((*buffer)->getBuffer());
      llvm::SmallString<256> display(pf.displayPath);
      llvm::sys::path::replace_extension(display, ".wxml");
      ctx.templatePath = std::string(display.str());
    }
    for (TemplateBinding &b : bindings)
      ctx.boundHandlers.push_back(std::move(b.handler));
  }

  void joinProject() {
    ModuleGraph graph(Facts.size());
    for (size_t i = 0; i < Facts.size(); ++i) {
      if (!Facts[i].analyzed)
        continue;
      graph.setExports(i, Facts[i].exports);
      ++A.stats.filesParsed;
      A.stats.bytesParsed += A.sources[i]->text().size();
    }
    std::vector<const SourceFile *> files;
    for (const auto &s : A.sources)
      files.push_back(s.get());

    std::vector<Diagnostic> &out = A.run.diagnostics;
    for (FileFacts &f : Facts) {
      for (Diagnostic &d : f.diagnostics)
        out.push_back(std::move(d));
      for (Notification &n : f.notifications)
        A.run.notifications.push_back(std::move(n));
      for (SuppressionDirective &directive : f.suppressions)
        A.suppressions.push_back(std::move(directive));
    }
    ProjectContext ctx{A.project, graph, files, out};
    ctx.Settings = &A.config.settings;
    for (size_t r = 0; r < Rules.size(); ++r) {
      std::vector<const Deferred *> mine;
      for (FileFacts &f : Facts)
        for (size_t k = 0; k < f.deferred.size(); ++k)
          if (f.deferredRule[k] == r)
            mine.push_back(f.deferred[k].get());
      if (mine.empty())
        continue;
      ctx.currentRule = &Rules[r]->descriptor();
      Rules[r]->checkProject(ctx, mine);
    }
  }

  const AnalysisOptions &Options;
  Analysis &A;
  std::vector<const Rule *> Rules;
  std::vector<FileFacts> Facts;
  std::vector<std::string_view> Triggers;
  bool EveryFileMatters = false;
  std::vector<size_t> VueTs;
};

void renderMessages(RunResult &run) {
  for (Diagnostic &d : run.diagnostics) {
    const MessageTemplate *m = d.rule->message(d.messageId);
    if (!m) {
      d.message = d.messageId;
      continue;
    }
    std::string_view templ = (run.lang == "zh-CN" && !m->zhCN.empty()) ? m->zhCN : m->en;
    d.message = renderMessage(templ, d.args);
  }
}

void sortDiagnostics(RunResult &run) {
  auto key = [&](const Diagnostic &d) {
    const SourceFile *f = run.files[d.primary.file];
    LineColumn lc = f->lineColumn(d.primary.begin);
    return std::make_tuple(f->path(), lc.line, lc.column, d.rule->id, d.message);
  };
  std::stable_sort(run.diagnostics.begin(), run.diagnostics.end(),
                   [&](const Diagnostic &a, const Diagnostic &b) { return key(a) < key(b); });
  std::stable_sort(run.notifications.begin(), run.notifications.end(),
                   [](const Notification &a, const Notification &b) {
                     return std::tie(a.path, a.line, a.id) < std::tie(b.path, b.line, b.id);
                   });
}

// The configuration of this run: --config, or the nearest .mpauth.json from the project root
// upward when asked to look, or none.
llvm::Expected<Config> loadConfiguration(const AnalysisOptions &options,
                                         const DiscoveryOptions &discovery) {
  if (!options.configFile.empty()) {
    if (!llvm::sys::fs::exists(options.configFile))
      return llvm::createStringError(std::errc::no_such_file_or_directory,
                                     "%s: the configuration file does not exist",
                                     options.configFile.c_str());
    return loadConfig(options.configFile, options.configFile);
  }
  if (!options.findConfig)
    return Config{};
  auto root = ProjectModel::locateRoot(discovery);
  if (!root)
    return root.takeError();
  std::string path = findConfigFile(*root);
  if (path.empty())
    return Config{};
  // Named as the user would type it: relative to the current directory when below it.
  std::string display = path;
  llvm::SmallString<256> cwd;
  if (!llvm::sys::fs::current_path(cwd)) {
    llvm::SmallString<256> relative(path);
    if (llvm::sys::path::replace_path_prefix(relative, cwd, ""))
      display = llvm::StringRef(relative).ltrim('/').str();
  }
  return loadConfig(path, display);
}

} // namespace

llvm::Expected<std::unique_ptr<Analysis>> analyze(const AnalysisOptions &options) {
  for (const std::string &id : options.enable)
    if (!findRule(id))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "unknown rule '%s' in --enable (see `mpauth rules`)",
                                     id.c_str());
  for (const std::string &id : options.disable)
    if (!findRule(id))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "unknown rule '%s' in --disable (see `mpauth rules`)",
                                     id.c_str());

  DiscoveryOptions discovery;
  discovery.targets = options.targets;
  discovery.srcRoot = options.srcRoot;
  for (const auto &[path, text] : options.contents)
    discovery.virtualFiles.push_back(path);
  auto config = loadConfiguration(options, discovery);
  if (!config)
    return config.takeError();

  // The command line wins over the configuration: --enable runs a rule the configuration
  // turns off, --disable stops one it sets a severity for.
  std::vector<const Rule *> rules;
  for (const auto &rule : allRules()) {
    std::string id(rule->descriptor().id);
    bool named = llvm::is_contained(options.enable, id);
    bool enabled = options.enable.empty() || named;
    if (const RuleLevel *level = config->levelOf(id); level && !level->severity && !named)
      enabled = false;
    if (llvm::is_contained(options.disable, id))
      enabled = false;
    if (enabled)
      rules.push_back(rule.get());
  }

  discovery.ignoreGlobs = config->ignore;
  discovery.miniprogramRoot = config->miniprogramRoot;
  discovery.cloudfunctionRoot = config->cloudfunctionRoot;
  discovery.rootsSource = config->path.empty() ? std::string(kConfigFileName)
                                               : llvm::sys::path::filename(config->path).str();
  auto project = ProjectModel::discover(discovery);
  if (!project)
    return project.takeError();

  auto analysis = std::make_unique<Analysis>();
  analysis->config = std::move(*config);
  analysis->project = std::move(*project);
  analysis->run.notifications = analysis->project.notifications;
  analysis->stats.filesListed = analysis->project.files.size();
  for (const Rule *rule : rules)
    analysis->rulesRun.push_back(rule->descriptor().id);

  Pipeline pipeline(options, *analysis, rules);
  pipeline.run();

  RunResult &run = analysis->run;
  for (const auto &s : analysis->sources)
    run.files.push_back(s.get());
  for (const auto &rule : allRules())
    run.rules.push_back(&rule->descriptor());
  run.srcRoot = analysis->project.srcRoot;
  run.commandLine = options.commandLine;
  run.lang = options.lang;
  run.projectSummary = analysis->project.summary;
  if (!analysis->config.path.empty())
    run.projectSummary.push_back("configuration: " + analysis->config.displayPath);
  run.filesAnalyzed = analysis->stats.filesParsed;

  const Rule *invalidSuppression = findRule(kInvalidSuppressionRule);
  bool judgeSuppressions = invalidSuppression && llvm::is_contained(rules, invalidSuppression);
  applySuppressions(analysis->suppressions, run.diagnostics, run.files, analysis->rulesRun,
                    judgeSuppressions ? &invalidSuppression->descriptor() : nullptr);
  for (Diagnostic &d : run.diagnostics) {
    const RuleLevel *level = d.rule ? analysis->config.levelOf(d.rule->id) : nullptr;
    if (level && level->severity)
      d.severity = configuredSeverity(d.severity, d.rule->defaultSeverity, *level->severity);
  }

  // The whole project is always modelled, but only findings in the targets are reported
  // (a pre-commit hook names the staged files; `mpauth check miniprogram/pages` a folder).
  auto &ds = run.diagnostics;
  ds.erase(std::remove_if(ds.begin(), ds.end(),
                          [&](const Diagnostic &d) {
                            return !analysis->project.files[d.primary.file].inTarget;
                          }),
           ds.end());
  renderMessages(run);
  sortDiagnostics(run);
  return analysis;
}

} // namespace mpauth
