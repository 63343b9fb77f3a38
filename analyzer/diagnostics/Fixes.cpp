#include "analyzer/diagnostics/Fixes.h"

#include <algorithm>

namespace mpauth {

FixApplication applyFixes(llvm::StringRef text, uint32_t file,
                          const std::vector<const Diagnostic *> &diagnostics) {
  FixApplication result;
  std::vector<const TextEdit *> accepted;
  auto overlaps = [&](const TextEdit &e) {
    for (const TextEdit *a : accepted) {
      bool bothInserts = e.range.begin == e.range.end && a->range.begin == a->range.end;
      if (bothInserts ? e.range.begin == a->range.begin
                      : e.range.begin < a->range.end && a->range.begin < e.range.end)
        return true;
      if (e.range.begin == e.range.end && a->range.begin < e.range.begin &&
          e.range.begin < a->range.end)
        return true;
    }
    return false;
  };
  for (const Diagnostic *d : diagnostics) {
    if (!d->fix || d->suppression)
      continue;
    bool usable = !d->fix->edits.empty();
    for (const TextEdit &e : d->fix->edits)
      usable &= e.range.file == file && e.range.begin <= e.range.end &&
                e.range.end <= text.size() && !overlaps(e);
    if (!usable) {
      ++result.skipped;
      continue;
    }
    for (const TextEdit &e : d->fix->edits)
      accepted.push_back(&e);
    ++result.applied;
  }
  std::sort(accepted.begin(), accepted.end(),
            [](const TextEdit *a, const TextEdit *b) { return a->range.begin < b->range.begin; });
  size_t cursor = 0;
  for (const TextEdit *e : accepted) {
    result.text.append(text.substr(cursor, e->range.begin - cursor).str());
    result.text.append(e->replacement);
    cursor = e->range.end;
  }
  result.text.append(text.substr(cursor).str());
  return result;
}

} // namespace mpauth
