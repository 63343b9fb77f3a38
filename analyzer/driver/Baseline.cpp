#include "analyzer/driver/Baseline.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace mpauth {

namespace {

namespace json = llvm::json;

llvm::Error problem(llvm::StringRef path, const std::string &what) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 fmt::format("{}: {}", path.str(), what));
}

std::string keyOf(llvm::StringRef rule, llvm::StringRef path, llvm::StringRef fingerprint) {
  // NUL cannot occur in any part, so the concatenation is unambiguous.
  return (rule + llvm::StringRef("\0", 1) + path + llvm::StringRef("\0", 1) + fingerprint).str();
}

} // namespace

llvm::Expected<Baseline> readBaseline(llvm::StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return problem(path, "cannot read the baseline: " + buffer.getError().message());
  auto parsed = json::parse((*buffer)->getBuffer());
  if (!parsed)
    return problem(path, "invalid JSON: " + llvm::toString(parsed.takeError()));
  const json::Object *top = parsed->getAsObject();
  if (!top)
    return problem(path, "expected a JSON object at the top level");
  auto version = top->getInteger("version");
  if (!version)
    return problem(path, "version: expected a number; is this an mpauth baseline?");
  if (*version != kBaselineVersion)
    return problem(path, fmt::format("version: this mpauth reads baseline version {}, not {}; "
                                     "write a new one with --write-baseline",
                                     kBaselineVersion, *version));
  if (auto kind = top->getString("fingerprints"); kind && *kind != kFingerprintKey)
    return problem(path, fmt::format("fingerprints: made with \"{}\", this mpauth computes "
                                     "\"{}\"; write a new baseline with --write-baseline",
                                     kind->str(), kFingerprintKey));
  const json::Array *findings = top->getArray("findings");
  if (!findings)
    return problem(path, "findings: expected an array");
  Baseline baseline;
  for (size_t i = 0; i < findings->size(); ++i) {
    const json::Object *entry = (*findings)[i].getAsObject();
    if (!entry)
      return problem(path, fmt::format("findings[{}]: expected an object", i));
    BaselineEntry e;
    for (auto [key, slot] : {std::pair{"rule", &e.rule},
                             {"path", &e.path},
                             {"fingerprint", &e.fingerprint},
                             {"message", &e.message}}) {
      auto text = entry->getString(key);
      if (!text && llvm::StringRef(key) != "message")
        return problem(path, fmt::format("findings[{}].{}: expected a string", i, key));
      if (text)
        *slot = text->str();
    }
    if (auto line = entry->getInteger("line"); line && *line > 0)
      e.line = static_cast<uint32_t>(*line);
    baseline.entries.push_back(std::move(e));
  }
  return baseline;
}

Baseline baselineOf(const RunResult &run) {
  Baseline baseline;
  for (const Diagnostic &d : run.diagnostics) {
    if (d.suppression || d.primary.file >= run.files.size() || !run.files[d.primary.file])
      continue;
    const SourceFile &file = *run.files[d.primary.file];
    BaselineEntry e;
    e.rule = std::string(d.rule ? d.rule->id : "mpauth");
    e.path = file.path().str();
    e.fingerprint = findingFingerprint(run, d);
    e.line = file.lineColumn(d.primary.begin).line;
    e.message = d.message;
    baseline.entries.push_back(std::move(e));
  }
  std::stable_sort(baseline.entries.begin(), baseline.entries.end(),
                   [](const BaselineEntry &a, const BaselineEntry &b) {
                     return std::tie(a.path, a.line, a.rule, a.fingerprint) <
                            std::tie(b.path, b.line, b.rule, b.fingerprint);
                   });
  return baseline;
}

std::string formatBaseline(const Baseline &baseline) {
  std::string text;
  llvm::raw_string_ostream out(text);
  {
    json::OStream j(out, /*IndentSize=*/2);
    j.object([&] {
      j.attribute("version", kBaselineVersion);
      j.attribute("tool", "mpauth");
      j.attribute("fingerprints", kFingerprintKey);
      j.attributeArray("findings", [&] {
        for (const BaselineEntry &e : baseline.entries)
          j.object([&] {
            j.attribute("rule", e.rule);
            j.attribute("path", e.path);
            j.attribute("fingerprint", e.fingerprint);
            j.attribute("line", static_cast<int64_t>(e.line));
            j.attribute("message", json::isUTF8(e.message) ? e.message : json::fixUTF8(e.message));
          });
      });
    });
  }
  out << '\n';
  return text;
}

llvm::Error writeBaseline(llvm::StringRef path, const Baseline &baseline) {
  std::error_code error;
  llvm::raw_fd_ostream out(path, error, llvm::sys::fs::OF_None);
  if (error)
    return problem(path, "cannot write the baseline: " + error.message());
  out << formatBaseline(baseline);
  out.close();
  if (out.has_error()) {
    std::string message = out.error().message();
    out.clear_error();
    return problem(path, "cannot write the baseline: " + message);
  }
  return llvm::Error::success();
}

BaselineMatch applyBaseline(const Baseline &baseline, Analysis &analysis,
                            llvm::StringRef baselineDisplayPath) {
  RunResult &run = analysis.run;
  std::map<std::string, std::vector<size_t>> unmatched; // key -> entry indices still free
  for (size_t i = 0; i < baseline.entries.size(); ++i) {
    const BaselineEntry &e = baseline.entries[i];
    unmatched[keyOf(e.rule, e.path, e.fingerprint)].push_back(i);
  }
  std::vector<bool> used(baseline.entries.size(), false);

  BaselineMatch match;
  std::vector<Diagnostic> kept;
  for (Diagnostic &d : run.diagnostics) {
    if (!d.suppression && d.primary.file < run.files.size() && run.files[d.primary.file]) {
      std::string key = keyOf(d.rule ? d.rule->id : "mpauth", run.files[d.primary.file]->path(),
                              findingFingerprint(run, d));
      auto found = unmatched.find(key);
      if (found != unmatched.end() && !found->second.empty()) {
        used[found->second.back()] = true;
        found->second.pop_back();
        ++match.baselined;
        continue;
      }
    }
    kept.push_back(std::move(d));
  }
  run.diagnostics = std::move(kept);
  run.baselined += match.baselined;

  // An entry is judged only where it could have matched: its rule ran, and its file was in
  // scope (a pre-commit run names a few files; the others' entries are not stale) or is gone.
  llvm::StringMap<const ProjectFile *> byPath;
  for (const ProjectFile &f : analysis.project.files)
    byPath[f.displayPath] = &f;
  for (size_t i = 0; i < baseline.entries.size(); ++i) {
    const BaselineEntry &e = baseline.entries[i];
    if (used[i] || !llvm::is_contained(analysis.rulesRun, e.rule))
      continue;
    auto file = byPath.find(e.path);
    if (file != byPath.end() && !file->second->inTarget)
      continue;
    match.stale.push_back(e);
    std::string where =
        e.line ? fmt::format(" (line {} when the baseline was written)", e.line) : std::string();
    run.notifications.push_back(
        {Severity::Note,
         fmt::format("the {} baseline entry{} in {} no longer matches a finding; remove it, or "
                     "rewrite the baseline with --write-baseline",
                     e.rule, where, baselineDisplayPath.str()),
         e.path,
         {},
         {},
         "stale-baseline"});
  }
  return match;
}

} // namespace mpauth
