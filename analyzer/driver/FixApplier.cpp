#include "analyzer/driver/FixApplier.h"

#include "analyzer/diagnostics/Fixes.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace mpauth {

namespace {

constexpr unsigned kMaxPasses = 10;
constexpr llvm::StringLiteral kBom("\xEF\xBB\xBF");

// The bytes of a file as it was read: SourceFile drops the BOM and keeps the rest.
std::string rawBytes(const SourceFile &file) {
  std::string bytes = file.hadBom() ? kBom.str() : std::string();
  bytes += file.originalText().str();
  return bytes;
}

// A replacement written with "\n" gets the file's own line ending.
std::string withLineEndings(llvm::StringRef text, bool crlf) {
  if (!crlf)
    return text.str();
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
      out += '\r';
    out += text[i];
  }
  return out;
}

struct PassResult {
  std::map<std::string, std::string> fixed; // absolute path -> new bytes
  std::map<std::string, unsigned> applied;
};

// One pass: the fixes of every reported finding, per file.
PassResult fixOnce(const Analysis &analysis) {
  PassResult result;
  const RunResult &run = analysis.run;
  for (size_t i = 0; i < analysis.sources.size(); ++i) {
    const SourceFile *file = analysis.sources[i].get();
    if (!file)
      continue;
    std::vector<Diagnostic> mine; // copies: replacements take the file's line endings
    for (const Diagnostic &d : run.diagnostics)
      if (!d.suppression && d.fix && !d.fix->edits.empty() && d.fix->edits.front().range.file == i)
        mine.push_back(d);
    if (mine.empty())
      continue;
    for (Diagnostic &d : mine)
      for (TextEdit &edit : d.fix->edits)
        edit.replacement = withLineEndings(edit.replacement, file->usesCrlf());
    std::vector<const Diagnostic *> pointers;
    for (const Diagnostic &d : mine)
      pointers.push_back(&d);
    llvm::StringRef text = file->originalText();
    FixApplication applied = applyFixes(text, static_cast<uint32_t>(i), pointers);
    if (applied.applied == 0 || applied.text == text)
      continue;
    const std::string &path = analysis.project.files[i].absolutePath;
    result.fixed[path] = (file->hadBom() ? kBom.str() : std::string()) + applied.text;
    result.applied[path] = applied.applied;
  }
  return result;
}

// ---- unified diff -----------------------------------------------------------------------------

std::vector<llvm::StringRef> splitLines(llvm::StringRef text) {
  std::vector<llvm::StringRef> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    size_t length = end == llvm::StringRef::npos ? text.size() : end + 1;
    lines.push_back(text.take_front(length));
    text = text.drop_front(length);
  }
  return lines;
}

enum class Op { Equal, Delete, Insert };

// Myers' O((N+M)D) shortest edit script over the lines between the common prefix and suffix,
// which is where fixes are. An extreme difference falls back to "delete all, insert all",
// still a correct diff.
std::vector<Op> editScript(const std::vector<llvm::StringRef> &a,
                           const std::vector<llvm::StringRef> &b) {
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
    ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  const int n = static_cast<int>(a.size() - prefix - suffix);
  const int m = static_cast<int>(b.size() - prefix - suffix);
  auto A = [&](int i) { return a[prefix + i]; };
  auto B = [&](int j) { return b[prefix + j]; };

  std::vector<Op> middle;
  const int max = n + m;
  constexpr int kMaxD = 4000;
  std::vector<std::vector<int>> trace;
  std::vector<int> v(2 * static_cast<size_t>(max) + 3, 0);
  const int offset = max + 1;
  int found = -1;
  for (int d = 0; d <= std::min(max, kMaxD) && found < 0; ++d) {
    if ((trace.size() + 1) * v.size() > 50'000'000) // ~200 MB of trace: give up on minimality
      break;
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                  ? v[offset + k + 1]
                  : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && A(x) == B(y)) {
        ++x;
        ++y;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
  }
  if (found < 0) {
    middle.assign(static_cast<size_t>(n), Op::Delete);
    middle.insert(middle.end(), static_cast<size_t>(m), Op::Insert);
  } else {
    // Walk the trace back from (n, m).
    int x = n, y = m;
    for (int d = found; d > 0; --d) {
      const std::vector<int> &pv = trace[static_cast<size_t>(d)];
      int k = x - y;
      bool down = k == -d || (k != d && pv[offset + k - 1] < pv[offset + k + 1]);
      int prevK = down ? k + 1 : k - 1;
      int prevX = pv[offset + prevK];
      int prevY = prevX - prevK;
      while (x > prevX && y > prevY) {
        middle.push_back(Op::Equal);
        --x;
        --y;
      }
      middle.push_back(down ? Op::Insert : Op::Delete);
      x = prevX;
      y = prevY;
    }
    while (x > 0 && y > 0) {
      middle.push_back(Op::Equal);
      --x;
      --y;
    }
    std::reverse(middle.begin(), middle.end());
  }
  std::vector<Op> ops(prefix, Op::Equal);
  ops.insert(ops.end(), middle.begin(), middle.end());
  ops.insert(ops.end(), suffix, Op::Equal);
  return ops;
}

void appendLine(std::string &out, char tag, llvm::StringRef line) {
  out += tag;
  out += line.str();
  if (!line.endswith("\n"))
    out += "\n\\ No newline at end of file\n";
}

} // namespace

unsigned FixPlan::fixes() const {
  unsigned total = 0;
  for (const FileChange &c : changes)
    total += c.fixes;
  return total;
}

llvm::Expected<FixPlan> planFixes(const AnalysisOptions &options, std::unique_ptr<Analysis> first,
                                  const AnalysisFilter &filter) {
  FixPlan plan;
  std::map<std::string, std::string> before; // absolute path -> bytes as read
  std::map<std::string, std::string> display;
  for (size_t i = 0; i < first->sources.size(); ++i)
    if (first->sources[i]) {
      const ProjectFile &pf = first->project.files[i];
      before[pf.absolutePath] = rawBytes(*first->sources[i]);
      display[pf.absolutePath] = pf.displayPath;
    }

  AnalysisOptions next = options;
  std::map<std::string, unsigned> applied;
  std::unique_ptr<Analysis> current = std::move(first);
  for (plan.passes = 0; plan.passes < kMaxPasses; ++plan.passes) {
    PassResult pass = fixOnce(*current);
    if (pass.fixed.empty())
      break;
    for (auto &[path, bytes] : pass.fixed) {
      next.contents[path] = std::move(bytes);
      applied[path] += pass.applied[path];
    }
    auto again = analyze(next);
    if (!again)
      return again.takeError();
    current = std::move(*again);
    if (filter)
      filter(*current);
  }
  for (const auto &[path, count] : applied) {
    const std::string &after = next.contents[path];
    auto original = before.find(path);
    if (original == before.end() || original->second == after)
      continue;
    plan.changes.push_back({path, display[path], original->second, after, count});
  }
  std::sort(plan.changes.begin(), plan.changes.end(),
            [](const FileChange &a, const FileChange &b) { return a.displayPath < b.displayPath; });
  plan.remaining = std::move(current);
  return plan;
}

llvm::Error writeFileAtomically(llvm::StringRef path, llvm::StringRef before,
                                llvm::StringRef after) {
  namespace fs = llvm::sys::fs;
  auto fail = [&](const std::string &why) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s", why.c_str());
  };
  // Through a symlink, the file it points to is fixed; the link stays a link.
  llvm::SmallString<256> target;
  if (std::error_code error = fs::real_path(path, target))
    return fail(fmt::format("cannot resolve {}: {}", path.str(), error.message()));
  auto unchanged = [&]() -> llvm::Error {
    auto current = llvm::MemoryBuffer::getFile(target, /*IsText=*/false,
                                               /*RequiresNullTerminator=*/false);
    if (!current)
      return fail(fmt::format("cannot read {}: {}", path.str(), current.getError().message()));
    if ((*current)->getBuffer() != before)
      return fail(
          fmt::format("{} changed since it was read; not fixed (run mpauth again)", path.str()));
    return llvm::Error::success();
  };
  if (llvm::Error changed = unchanged())
    return changed;
  auto permissions = fs::getPermissions(target);
  if (!permissions)
    return fail(fmt::format("cannot read the permissions of {}: {}", path.str(),
                            permissions.getError().message()));

  llvm::SmallString<256> model(llvm::sys::path::parent_path(target));
  llvm::sys::path::append(model,
                          "." + llvm::sys::path::filename(target).str() + ".mpauth-%%%%%%.tmp");
  int fd = -1;
  llvm::SmallString<256> temp;
  if (std::error_code error = fs::createUniqueFile(model, fd, temp))
    return fail(
        fmt::format("cannot create a temporary file beside {}: {}", path.str(), error.message()));
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out << after;
    out.close();
    if (out.has_error()) {
      std::string why = out.error().message();
      out.clear_error();
      fs::remove(temp);
      return fail(fmt::format("cannot write {}: {}", temp.str().str(), why));
    }
  }
  if (std::error_code error = fs::setPermissions(temp, *permissions)) {
    fs::remove(temp);
    return fail(
        fmt::format("cannot set the permissions of {}: {}", temp.str().str(), error.message()));
  }
  // Checked again just before the rename, to keep the window for a concurrent edit small.
  if (llvm::Error changed = unchanged()) {
    fs::remove(temp);
    return changed;
  }
  if (std::error_code error = fs::rename(temp, target)) {
    fs::remove(temp);
    return fail(fmt::format("cannot replace {}: {}", path.str(), error.message()));
  }
  return llvm::Error::success();
}

std::vector<Notification> writeFixes(const FixPlan &plan) {
  std::vector<Notification> problems;
  for (const FileChange &change : plan.changes) {
    if (llvm::Error error = writeFileAtomically(change.absolutePath, change.before, change.after))
      problems.push_back({Severity::Warning,
                          fmt::format("not fixed: {}", llvm::toString(std::move(error))),
                          change.displayPath,
                          {},
                          {},
                          "fix-not-applied"});
  }
  return problems;
}

std::string unifiedDiff(llvm::StringRef path, llvm::StringRef before, llvm::StringRef after) {
  if (before == after)
    return {};
  std::vector<llvm::StringRef> a = splitLines(before), b = splitLines(after);
  std::vector<Op> ops = editScript(a, b);
  constexpr size_t kContext = 3;

  // Positions of each op in a and b.
  std::vector<size_t> ai(ops.size() + 1), bi(ops.size() + 1);
  for (size_t k = 0, x = 0, y = 0; k <= ops.size(); ++k) {
    ai[k] = x;
    bi[k] = y;
    if (k == ops.size())
      break;
    x += ops[k] != Op::Insert;
    y += ops[k] != Op::Delete;
  }

  std::string out = fmt::format("--- {}\n+++ {}\n", path.str(), path.str());
  size_t k = 0;
  while (k < ops.size()) {
    while (k < ops.size() && ops[k] == Op::Equal)
      ++k;
    if (k == ops.size())
      break;
    // A hunk: from kContext equal lines before the first change to kContext after the last,
    // merging changes separated by at most 2 * kContext equal lines.
    size_t start = k >= kContext ? k - kContext : 0;
    size_t end = k;
    for (;;) {
      while (end < ops.size() && ops[end] != Op::Equal)
        ++end;
      size_t equal = end;
      while (equal < ops.size() && ops[equal] == Op::Equal)
        ++equal;
      if (equal < ops.size() && equal - end <= 2 * kContext) {
        end = equal;
        continue;
      }
      end = std::min(ops.size(), end + kContext);
      break;
    }
    size_t aCount = ai[end] - ai[start], bCount = bi[end] - bi[start];
    out += fmt::format("@@ -{},{} +{},{} @@\n", aCount ? ai[start] + 1 : ai[start], aCount,
                       bCount ? bi[start] + 1 : bi[start], bCount);
    for (size_t i = start; i < end; ++i) {
      switch (ops[i]) {
      case Op::Equal:
        appendLine(out, ' ', a[ai[i]]);
        break;
      case Op::Delete:
        appendLine(out, '-', a[ai[i]]);
        break;
      case Op::Insert:
        appendLine(out, '+', b[bi[i]]);
        break;
      }
    }
    k = end;
  }
  return out;
}

} // namespace mpauth
