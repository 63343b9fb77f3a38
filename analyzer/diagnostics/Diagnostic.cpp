#include "analyzer/diagnostics/Diagnostic.h"

namespace mpauth {

const char *severityName(Severity s) {
  switch (s) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "warning";
}

const char *precisionName(Precision p) {
  switch (p) {
  case Precision::Low:
    return "low";
  case Precision::Medium:
    return "medium";
  case Precision::High:
    return "high";
  case Precision::VeryHigh:
    return "very-high";
  }
  return "medium";
}

std::string renderMessage(std::string_view templ, const MessageArgs &args) {
  std::string out;
  out.reserve(templ.size() + 32);
  for (size_t i = 0; i < templ.size(); ++i) {
    char c = templ[i];
    if ((c == '{' || c == '}') && i + 1 < templ.size() && templ[i + 1] == c) {
      out += c;
      ++i;
      continue;
    }
    if (c == '{') {
      size_t close = templ.find('}', i);
      if (close != std::string_view::npos) {
        std::string_view name = templ.substr(i + 1, close - i - 1);
        bool replaced = false;
        for (const auto &[key, value] : args) {
          if (key == name) {
            out += value;
            replaced = true;
            break;
          }
        }
        if (replaced) {
          i = close;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

} // namespace mpauth
