#include "analyzer/config/Config.h"

#include "rules/Registry.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Regex.h"

#include <fmt/format.h>

namespace mpauth {

namespace {

namespace json = llvm::json;

constexpr llvm::StringLiteral kTopLevelKeys[] = {"$schema",
                                                 "rules",
                                                 "ignore",
                                                 "roots",
                                                 "asyncApis",
                                                 "httpClients",
                                                 "trustedEventFields",
                                                 "untrustedEventFields"};
constexpr llvm::StringLiteral kRootKeys[] = {"miniprogramRoot", "cloudfunctionRoot"};
constexpr const char *kLevels = R"("off", "note", "warning", "error")";

const char *kindName(const json::Value &value) {
  switch (value.kind()) {
  case json::Value::Null:
    return "null";
  case json::Value::Boolean:
    return "a boolean";
  case json::Value::Number:
    return "a number";
  case json::Value::String:
    return "a string";
  case json::Value::Array:
    return "an array";
  case json::Value::Object:
    return "an object";
  }
  return "a value";
}

// `rules.hardcoded-env`, `ignore[2]`; a key that is not a plain word is quoted.
std::string childPath(llvm::StringRef parent, llvm::StringRef key) {
  bool plain = !key.empty() && llvm::all_of(key, [](char c) {
    return llvm::isAlnum(c) || c == '-' || c == '_' || c == '$';
  });
  if (plain)
    return parent.empty() ? key.str() : parent.str() + "." + key.str();
  std::string quoted;
  llvm::raw_string_ostream out(quoted);
  out << json::Value(key.str());
  return fmt::format("{}[{}]", parent.str(), out.str());
}

// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
std::optional<std::string> closest(llvm::StringRef word,
                                   llvm::ArrayRef<std::string_view> candidates) {
  std::optional<std::string> best;
  unsigned bestDistance = 0;
  for (std::string_view candidate : candidates) {
    llvm::StringRef c(candidate.data(), candidate.size());
    unsigned distance = word.edit_distance(c, /*AllowReplacements=*/true);
    if (distance <= std::max<size_t>(2, c.size() / 4) && (!best || distance < bestDistance)) {
      best = c.str();
      bestDistance = distance;
    }
  }
  return best;
}

std::string quotedList(llvm::ArrayRef<llvm::StringLiteral> words) {
  std::vector<std::string> quoted;
  for (llvm::StringRef w : words)
    quoted.push_back("\"" + w.str() + "\"");
  return llvm::join(quoted, ", ");
}

class ConfigReader {
public:
  explicit ConfigReader(llvm::StringRef displayPath) : DisplayPath(displayPath.str()) {}

  llvm::Expected<Config> read(llvm::StringRef text) {
    auto parsed = json::parse(text);
    if (!parsed)
      return syntaxError(parsed.takeError());
    const json::Object *top = parsed->getAsObject();
    if (!top)
      return error(
          "", fmt::format("expected a JSON object at the top level, got {}", kindName(*parsed)));
    Config config;
    config.displayPath = DisplayPath;
    // Keys in a stable order, so that the first error reported does not depend on hashing.
    std::vector<std::string> keys;
    for (const auto &entry : *top)
      keys.push_back(entry.first.str());
    std::sort(keys.begin(), keys.end());
    for (const std::string &key : keys) {
      const json::Value &value = *top->get(key);
      llvm::Error problem = llvm::Error::success();
      if (key == "$schema")
        problem = expectString(value, key).takeError();
      else if (key == "rules")
        problem = readRules(value, config);
      else if (key == "ignore")
        problem = readGlobs(value, key, config.ignore);
      else if (key == "roots")
        problem = readRoots(value, config);
      else if (key == "asyncApis")
        problem = readStrings(value, key, config.settings.asyncApis);
      else if (key == "httpClients")
        problem = readStrings(value, key, config.settings.httpClients);
      else if (key == "trustedEventFields")
        problem = readStrings(value, key, config.settings.trustedEventFields);
      else if (key == "untrustedEventFields")
        problem = readStrings(value, key, config.settings.untrustedEventFields);
      else
        problem = unknownKey(childPath("", key), key, kTopLevelKeys);
      if (problem)
        return problem;
    }
    return config;
  }

private:
  llvm::Error error(llvm::StringRef keyPath, const std::string &message) const {
    std::string text = keyPath.empty()
                           ? fmt::format("{}: {}", DisplayPath, message)
                           : fmt::format("{}: {}: {}", DisplayPath, keyPath.str(), message);
    return llvm::createStringError(llvm::inconvertibleErrorCode(), text);
  }

  // llvm::json says "[line:column, byte=offset]: message"; users read "file:line:column".
  llvm::Error syntaxError(llvm::Error parseError) const {
    std::string raw = llvm::toString(std::move(parseError));
    llvm::SmallVector<llvm::StringRef, 4> m;
    if (llvm::Regex(R"(^\[([0-9]+):([0-9]+), byte=[0-9]+\]: (.*)$)").match(raw, &m))
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     fmt::format("{}:{}:{}: invalid JSON: {}", DisplayPath,
                                                 m[1].str(), m[2].str(), m[3].str()));
    return error("", "invalid JSON: " + raw);
  }

  llvm::Error unknownKey(llvm::StringRef keyPath, llvm::StringRef key,
                         llvm::ArrayRef<llvm::StringLiteral> known) const {
    std::vector<std::string_view> candidates(known.begin(), known.end());
    std::string hint;
    if (auto guess = closest(key, candidates))
      hint = fmt::format(" (did you mean \"{}\"?)", *guess);
    return error(keyPath,
                 fmt::format("unknown key{}; expected one of {}", hint, quotedList(known)));
  }

  llvm::Expected<std::string> expectString(const json::Value &value,
                                           llvm::StringRef keyPath) const {
    auto text = value.getAsString();
    if (!text)
      return error(keyPath, fmt::format("expected a string, got {}", kindName(value)));
    return text->str();
  }

  llvm::Error readRules(const json::Value &value, Config &config) const {
    const json::Object *rules = value.getAsObject();
    if (!rules)
      return error("rules", fmt::format("expected an object mapping rule ids to one of {}, got {}",
                                        kLevels, kindName(value)));
    std::vector<std::string_view> ids;
    for (const auto &rule : allRules())
      ids.push_back(rule->descriptor().id);
    std::vector<std::string> keys;
    for (const auto &entry : *rules)
      keys.push_back(entry.first.str());
    std::sort(keys.begin(), keys.end());
    for (const std::string &id : keys) {
      std::string keyPath = childPath("rules", id);
      if (!findRule(id)) {
        std::string hint;
        if (auto guess = closest(id, ids))
          hint = fmt::format(" (did you mean \"{}\"?)", *guess);
        return error(keyPath, fmt::format("unknown rule{}; `mpauth rules` lists them", hint));
      }
      const json::Value &level = *rules->get(id);
      auto text = level.getAsString();
      std::optional<Severity> severity;
      if (text && *text == "note")
        severity = Severity::Note;
      else if (text && *text == "warning")
        severity = Severity::Warning;
      else if (text && *text == "error")
        severity = Severity::Error;
      else if (!text || *text != "off")
        return error(keyPath,
                     fmt::format("expected one of {}, got {}", kLevels,
                                 text ? "\"" + text->str() + "\"" : std::string(kindName(level))));
      config.rules.push_back({id, severity});
    }
    return llvm::Error::success();
  }

  llvm::Error readStrings(const json::Value &value, llvm::StringRef keyPath,
                          std::vector<std::string> &out) const {
    const json::Array *items = value.getAsArray();
    if (!items)
      return error(keyPath, fmt::format("expected an array of strings, got {}", kindName(value)));
    for (size_t i = 0; i < items->size(); ++i) {
      std::string itemPath = fmt::format("{}[{}]", keyPath.str(), i);
      auto text = (*items)[i].getAsString();
      if (!text)
        return error(itemPath, fmt::format("expected a string, got {}", kindName((*items)[i])));
      if (text->trim().empty())
        return error(itemPath, "expected a non-empty string");
      out.push_back(text->str());
    }
    return llvm::Error::success();
  }

  llvm::Error readGlobs(const json::Value &value, llvm::StringRef keyPath,
                        std::vector<std::string> &out) const {
    if (llvm::Error problem = readStrings(value, keyPath, out))
      return problem;
    for (size_t i = 0; i < out.size(); ++i) {
      auto pattern = llvm::GlobPattern::create(out[i]);
      if (!pattern)
        return error(
            fmt::format("{}[{}]", keyPath.str(), i),
            fmt::format("invalid glob \"{}\": {}", out[i], llvm::toString(pattern.takeError())));
    }
    return llvm::Error::success();
  }

  llvm::Error readRoots(const json::Value &value, Config &config) const {
    const json::Object *roots = value.getAsObject();
    if (!roots)
      return error("roots", fmt::format("expected an object with \"miniprogramRoot\" and/or "
                                        "\"cloudfunctionRoot\", got {}",
                                        kindName(value)));
    std::vector<std::string> keys;
    for (const auto &entry : *roots)
      keys.push_back(entry.first.str());
    std::sort(keys.begin(), keys.end());
    for (const std::string &key : keys) {
      std::string keyPath = childPath("roots", key);
      if (!llvm::is_contained(kRootKeys, key))
        return unknownKey(keyPath, key, kRootKeys);
      auto text = expectString(*roots->get(key), keyPath);
      if (!text)
        return text.takeError();
      (key == "miniprogramRoot" ? config.miniprogramRoot : config.cloudfunctionRoot) =
          text->empty() ? std::string("./") : *text;
    }
    return llvm::Error::success();
  }

  std::string DisplayPath;
};

} // namespace

const RuleLevel *Config::levelOf(std::string_view ruleId) const {
  for (const RuleLevel &level : rules)
    if (level.ruleId == ruleId)
      return &level;
  return nullptr;
}

llvm::Expected<Config> parseConfig(llvm::StringRef text, llvm::StringRef displayPath) {
  return ConfigReader(displayPath).read(text);
}

llvm::Expected<Config> loadConfig(llvm::StringRef path, llvm::StringRef displayPath) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "%s: cannot read the configuration: %s",
                                   displayPath.str().c_str(), buffer.getError().message().c_str());
  llvm::StringRef text = (*buffer)->getBuffer();
  if (text.startswith("\xEF\xBB\xBF")) // editors on Windows like to add one
    text = text.drop_front(3);
  auto config = parseConfig(text, displayPath);
  if (config) {
    llvm::SmallString<256> absolute(path);
    llvm::sys::fs::make_absolute(absolute);
    llvm::sys::path::remove_dots(absolute, /*remove_dot_dot=*/true);
    config->path = std::string(absolute.str());
  }
  return config;
}

std::string findConfigFile(llvm::StringRef startDir) {
  llvm::SmallString<256> dir(startDir);
  llvm::sys::fs::make_absolute(dir);
  llvm::sys::path::remove_dots(dir, /*remove_dot_dot=*/true);
  for (;;) {
    llvm::SmallString<256> candidate(dir);
    llvm::sys::path::append(candidate, kConfigFileName);
    if (llvm::sys::fs::is_regular_file(candidate))
      return std::string(candidate.str());
    llvm::StringRef parent = llvm::sys::path::parent_path(dir);
    if (parent.empty() || parent == dir)
      return {};
    dir = parent.str();
  }
}

Severity configuredSeverity(Severity reported, Severity ruleDefault, Severity configured) {
  if (reported < ruleDefault) // a deliberately lower tier: kept, and capped when lowering
    return std::min(reported, configured);
  if (configured < ruleDefault) // lowering: a ceiling for everything the rule reports
    return configured;
  return std::max(reported, configured);
}

std::string starterConfig() {
  std::string text;
  llvm::raw_string_ostream out(text);
  {
    json::OStream j(out, /*IndentSize=*/2);
    j.object([&] {
      j.attributeObject("rules", [&] {
        for (const auto &rule : allRules()) {
          const RuleDescriptor &d = rule->descriptor();
          j.attribute(llvm::StringRef(d.id.data(), d.id.size()), severityName(d.defaultSeverity));
        }
      });
      j.attributeArray("ignore", [] {});
      j.attributeObject("roots", [] {});
      j.attributeArray("asyncApis", [] {});
      j.attributeArray("httpClients", [] {});
      j.attributeArray("trustedEventFields", [] {});
      j.attributeArray("untrustedEventFields", [] {});
    });
  }
  out << "\n";
  return text;
}

std::string configSchema() {
  std::string text;
  llvm::raw_string_ostream out(text);
  auto stringArray = [](json::OStream &j, llvm::StringRef description) {
    j.attribute("description", description);
    j.attribute("type", "array");
    j.attributeObject("items", [&] {
      j.attribute("type", "string");
      j.attribute("minLength", 1);
    });
  };
  {
    json::OStream j(out, /*IndentSize=*/2);
    j.object([&] {
      j.attribute("$schema", "http://json-schema.org/draft-07/schema#");
      j.attribute("title", "mpauth configuration (.mpauth.json)");
      j.attribute("description",
                  "Configuration of mpauth, the auth analyzer for WeChat Mini Programs on "
                  "CloudBase. Plain JSON; unknown keys and bad values are errors. See "
                  "docs/configuration.md.");
      j.attribute("type", "object");
      j.attribute("additionalProperties", false);
      j.attributeObject("properties", [&] {
        j.attributeObject("$schema", [&] {
          j.attribute("description", "The JSON Schema of this file, for editors.");
          j.attribute("type", "string");
        });
        j.attributeObject("rules", [&] {
          j.attribute("description",
                      "Rule severities: \"off\" turns a rule off; \"note\", \"warning\" or "
                      "\"error\" replaces its default severity.");
          j.attribute("type", "object");
          j.attribute("additionalProperties", false);
          j.attributeObject("properties", [&] {
            for (const auto &rule : allRules()) {
              const RuleDescriptor &d = rule->descriptor();
              j.attributeObject(llvm::StringRef(d.id.data(), d.id.size()), [&] {
                j.attribute("description", fmt::format("{} (default: {}).", d.title,
                                                       severityName(d.defaultSeverity)));
                j.attribute("$ref", "#/definitions/level");
              });
            }
          });
        });
        j.attributeObject("ignore", [&] {
          stringArray(j, "Globs of files and folders not to analyze, relative to the project "
                         "root (\"**/generated/**\", \"/scripts/**\").");
        });
        j.attributeObject("roots", [&] {
          j.attribute("description", "Roots that replace those of project.config.json, relative "
                                     "to the project root.");
          j.attribute("type", "object");
          j.attribute("additionalProperties", false);
          j.attributeObject("properties", [&] {
            j.attributeObject("miniprogramRoot", [&] {
              j.attribute("description", "The folder of the mini program's client sources.");
              j.attribute("type", "string");
            });
            j.attributeObject("cloudfunctionRoot", [&] {
              j.attribute("description", "The folder whose subfolders are cloud functions.");
              j.attribute("type", "string");
            });
          });
        });
        j.attributeObject("asyncApis", [&] {
          stringArray(j, "More client APIs that take success/fail callbacks or return a promise "
                         "(\"wx.requestPayment\", \"api.request\").");
        });
        j.attributeObject("httpClients", [&] {
          stringArray(j, "More modules or functions that send HTTP requests to third parties "
                         "(\"@company/http\", \"request.post\").");
        });
        j.attributeObject("trustedEventFields", [&] {
          stringArray(j, "Fields of a cloud function's event that the platform, not the client, "
                         "fills in (\"userInfo\" is built in).");
        });
        j.attributeObject("untrustedEventFields", [&] {
          stringArray(j, "More fields of a cloud function's event that carry a client-chosen "
                         "identity (\"memberId\", \"ownerId\").");
        });
      });
      j.attributeObject("definitions", [&] {
        j.attributeObject("level", [&] {
          j.attributeArray("enum", [&] {
            for (const char *level : {"off", "note", "warning", "error"})
              j.value(level);
          });
        });
      });
    });
  }
  out << "\n";
  return text;
}

} // namespace mpauth
