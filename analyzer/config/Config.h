// The configuration layer: `.mpauth.json` (SPEC 4 "Config"), plain JSON that is read, checked
// against the rule registry and never executed. Knows the rules (to check their ids and to write
// a starter file), nothing of the pipeline that uses it. docs/configuration.md is the user's
// side of this file; schemas/mpauth.schema.json the editor's.
#pragma once

#include "analyzer/diagnostics/RuleDescriptor.h"
#include "rules/Rule.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace mpauth {

inline constexpr const char *kConfigFileName = ".mpauth.json";

// What `rules` says about one rule: off, or a severity that replaces its default.
struct RuleLevel {
  std::string ruleId;
  std::optional<Severity> severity; // nullopt: "off"
};

struct Config {
  std::string path;        // absolute path of the file read; empty when there is none
  std::string displayPath; // how messages name the file (as given, or relative to the cwd)
  std::vector<RuleLevel> rules;
  std::vector<std::string> ignore; // globs, relative to the project root
  // Root overrides, relative to the project root (as in project.config.json); empty: not set.
  std::string miniprogramRoot;
  std::string cloudfunctionRoot;
  RuleSettings settings; // asyncApis, httpClients, trusted/untrusted event fields

  const RuleLevel *levelOf(std::string_view ruleId) const;
};

// Checks and reads the text of a configuration file. Every error names `displayPath` and the
// key path: `.mpauth.json: rules.hardcoded-env: expected one of "off", "note", ...`.
llvm::Expected<Config> parseConfig(llvm::StringRef text, llvm::StringRef displayPath);

// Reads and checks a configuration file.
llvm::Expected<Config> loadConfig(llvm::StringRef path, llvm::StringRef displayPath);

// The nearest `.mpauth.json` in `startDir` or a folder above it, up to the filesystem root;
// empty when there is none.
std::string findConfigFile(llvm::StringRef startDir);

// The severity a finding takes when its rule is configured to `configured`. The configured
// severity replaces the rule's default: a finding at the default takes it; lowering is a
// ceiling for every finding of the rule; when raising, findings the rule escalated above its
// default stay at least as high, and findings it deliberately reports below its default
// (lower-confidence or version-dependent variants) keep their tier.
Severity configuredSeverity(Severity reported, Severity ruleDefault, Severity configured);

// The starting `.mpauth.json` that `mpauth init` writes: every rule with its default severity
// and the other keys empty.
std::string starterConfig();

// The JSON Schema (draft-07) of `.mpauth.json` for editor completion, with every registered
// rule. schemas/mpauth.schema.json is this text (`mpauth init --print-schema`); a test keeps
// the two equal.
std::string configSchema();

} // namespace mpauth
