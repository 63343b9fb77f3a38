// wx-server-sdk versions (SPEC 3.2): what a package.json spec or a lockfile entry says about the
// SDK a cloud function runs with. Ranges follow npm's semver grammar (node-semver): X-ranges,
// tilde, caret, hyphen ranges, comparator sets joined by "||". Prerelease tags are ignored:
// they only move a bound by less than one patch version, which no tier boundary here cares
// about.
#include "analyzer/project/Project.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

namespace mpauth {
namespace {

constexpr SdkVersion FirstWithCurrentEnv{4, 0, 1}; // no env means the current env from here
constexpr SdkVersion FirstWithDynamicEnv{1, 1, 1}; // DYNAMIC_CURRENT_ENV exists from here
constexpr SdkVersion Four{4, 0, 0};

// A version with wildcards: "2", "2.x", "2.6.*", "*". A missing or wildcard part is nullopt,
// and every part after a wildcard is one too.
struct PartialVersion {
  std::optional<unsigned> major, minor, patch;
  bool full() const { return patch.has_value(); }
  SdkVersion floor() const { return {major.value_or(0), minor.value_or(0), patch.value_or(0)}; }
};

std::optional<PartialVersion> parsePartial(llvm::StringRef text) {
  text = text.trim();
  text.consume_front("v");
  text.consume_front("V");
  text = text.take_until([](char c) { return c == '-' || c == '+'; });
  if (text.empty())
    return std::nullopt;
  llvm::SmallVector<llvm::StringRef, 4> parts;
  text.split(parts, '.');
  if (parts.size() > 3)
    return std::nullopt;
  PartialVersion result;
  std::optional<unsigned> *slots[] = {&result.major, &result.minor, &result.patch};
  bool wildcard = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    llvm::StringRef part = parts[i];
    if (part == "x" || part == "X" || part == "*") {
      wildcard = true;
      continue;
    }
    unsigned number = 0;
    if (wildcard || part.empty() || !llvm::all_of(part, llvm::isDigit) ||
        part.getAsInteger(10, number))
      return std::nullopt;
    *slots[i] = number;
  }
  return result;
}

SdkVersion nextPatch(SdkVersion v) {
  return {v.major, v.minor, v.patch + 1};
}
SdkVersion nextMinor(SdkVersion v) {
  return {v.major, v.minor + 1, 0};
}
SdkVersion nextMajor(SdkVersion v) {
  return {v.major + 1, 0, 0};
}

// The smallest version above everything the partial version stands for ("2.6" -> 2.7.0).
std::optional<SdkVersion> pastPartial(const PartialVersion &p) {
  if (!p.major)
    return std::nullopt;
  if (!p.minor)
    return nextMajor(p.floor());
  if (!p.patch)
    return nextMinor(p.floor());
  return nextPatch(p.floor());
}

// [low, high): high absent means unbounded.
struct VersionInterval {
  SdkVersion low;
  std::optional<SdkVersion> high;
  bool empty() const { return high && *high <= low; }
  void intersect(const VersionInterval &other) {
    low = std::max(low, other.low);
    if (other.high)
      high = high ? std::min(*high, *other.high) : *other.high;
  }
};

const VersionInterval Everything{};
const VersionInterval Nothing{{0, 0, 0}, SdkVersion{0, 0, 0}};

std::optional<VersionInterval> comparatorInterval(llvm::StringRef op, const PartialVersion &p) {
  SdkVersion floor = p.floor();
  if (op.empty() || op == "=") {
    if (!p.major)
      return Everything;
    return VersionInterval{floor, pastPartial(p)};
  }
  if (op == "^") {
    if (!p.major)
      return Everything;
    if (*p.major > 0 || !p.minor)
      return VersionInterval{floor, nextMajor(floor)};
    if (*p.minor > 0 || !p.patch)
      return VersionInterval{floor, nextMinor(floor)};
    return VersionInterval{floor, nextPatch(floor)};
  }
  if (op == "~" || op == "~>") {
    if (!p.major)
      return Everything;
    if (!p.minor)
      return VersionInterval{floor, nextMajor(floor)};
    return VersionInterval{floor, nextMinor(floor)};
  }
  if (op == ">=")
    return VersionInterval{floor, std::nullopt};
  if (op == ">") {
    if (!p.major)
      return Nothing;
    return VersionInterval{*pastPartial(p), std::nullopt};
  }
  if (op == "<") {
    if (!p.major)
      return Nothing;
    return VersionInterval{{0, 0, 0}, floor};
  }
  if (op == "<=") {
    if (!p.major)
      return Everything;
    return VersionInterval{{0, 0, 0}, pastPartial(p)};
  }
  return std::nullopt;
}

// Splits "~>2.1", ">= 2.0.0" (already joined) into operator and version.
std::pair<llvm::StringRef, llvm::StringRef> splitOperator(llvm::StringRef token) {
  for (llvm::StringRef op : {">=", "<=", "~>", ">", "<", "=", "^", "~"})
    if (token.startswith(op))
      return {op, token.drop_front(op.size())};
  return {"", token};
}

bool isOperatorOnly(llvm::StringRef token) {
  return !token.empty() && splitOperator(token).second.empty();
}

// One comparator set ("a b c" or "a - b"); nullopt when it does not parse.
std::optional<VersionInterval> comparatorSetInterval(llvm::StringRef set, bool &isExactPin,
                                                     SdkVersion &pinned) {
  llvm::SmallVector<llvm::StringRef, 8> raw;
  set.split(raw, ' ', -1, /*KeepEmpty=*/false);
  // npm accepts whitespace between an operator and its version (">= 2.0.0").
  llvm::SmallVector<std::string, 8> tokens;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (isOperatorOnly(raw[i]) && i + 1 < raw.size()) {
      tokens.push_back((raw[i] + raw[i + 1]).str());
      ++i;
    } else {
      tokens.push_back(raw[i].str());
    }
  }
  isExactPin = false;
  if (tokens.empty())
    return Everything;
  if (tokens.size() == 3 && tokens[1] == "-") {
    auto from = parsePartial(tokens[0]);
    auto to = parsePartial(tokens[2]);
    if (!from || !to)
      return std::nullopt;
    return VersionInterval{from->floor(), pastPartial(*to)};
  }
  VersionInterval result = Everything;
  for (const std::string &token : tokens) {
    auto [op, versionText] = splitOperator(token);
    auto version = parsePartial(versionText);
    if (!version)
      return std::nullopt;
    auto interval = comparatorInterval(op, *version);
    if (!interval)
      return std::nullopt;
    result.intersect(*interval);
    if (tokens.size() == 1 && (op.empty() || op == "=") && version->full()) {
      isExactPin = true;
      pinned = version->floor();
    }
  }
  return result;
}

} // namespace

std::string toString(const SdkVersion &version) {
  return std::to_string(version.major) + "." + std::to_string(version.minor) + "." +
         std::to_string(version.patch);
}

std::optional<SdkVersion> parseSdkVersion(llvm::StringRef text) {
  text = text.trim();
  text.consume_front("=");
  auto partial = parsePartial(text);
  if (!partial || !partial->full())
    return std::nullopt;
  return partial->floor();
}

SdkVersionInfo classifySdkSpec(llvm::StringRef specText) {
  SdkVersionInfo info;
  info.spec = specText.str();
  llvm::StringRef spec = specText.trim();
  if (spec.empty() || spec == "latest") {
    info.kind = SdkVersionInfo::Kind::Latest;
    return info;
  }
  // Tags, URLs, git, file: and npm: aliases say nothing about the version.
  if (spec.contains(':') || spec.contains('/'))
    return info;

  llvm::SmallVector<llvm::StringRef, 4> alternatives;
  spec.split(alternatives, "||");
  std::optional<SdkVersion> floor, ceiling;
  bool unbounded = false, anyNonEmpty = false;
  for (llvm::StringRef alternative : alternatives) {
    bool isExactPin = false;
    SdkVersion pinned;
    auto interval = comparatorSetInterval(alternative.trim(), isExactPin, pinned);
    if (!interval)
      return info; // unparsable: Unknown
    if (alternatives.size() == 1 && isExactPin) {
      info.kind = SdkVersionInfo::Kind::Exact;
      info.version = pinned;
      return info;
    }
    if (interval->empty())
      continue;
    anyNonEmpty = true;
    floor = floor ? std::min(*floor, interval->low) : interval->low;
    if (!interval->high)
      unbounded = true;
    else
      ceiling = ceiling ? std::max(*ceiling, *interval->high) : *interval->high;
  }
  if (!anyNonEmpty)
    return info; // nothing satisfies it: Unknown
  if (unbounded || *ceiling > Four) {
    info.kind = SdkVersionInfo::Kind::Latest;
    return info;
  }
  info.kind = SdkVersionInfo::Kind::BelowFour;
  info.version = *floor;
  info.upperBound = *ceiling;
  return info;
}

bool SdkVersionInfo::knownBelow4() const {
  switch (kind) {
  case Kind::Exact:
    return version < FirstWithCurrentEnv;
  case Kind::BelowFour:
    return true;
  case Kind::Unknown:
  case Kind::Latest:
    return false;
  }
  return false;
}

bool SdkVersionInfo::knownBelow111() const {
  switch (kind) {
  case Kind::Exact:
    return version < FirstWithDynamicEnv;
  case Kind::BelowFour:
    return upperBound <= FirstWithDynamicEnv;
  case Kind::Unknown:
  case Kind::Latest:
    return false;
  }
  return false;
}

} // namespace mpauth
