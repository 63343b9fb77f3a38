// Path and JSON helpers of the project layer, and the notifications discovery emits.
#include "analyzer/project/Discovery.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace mpauth::project_detail {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

std::string normalizePath(llvm::StringRef input, llvm::StringRef base) {
  llvm::SmallString<256> result(input);
  path::native(result);
  if (!path::is_absolute(result))
    fs::make_absolute(base, result);
  path::remove_dots(result, /*remove_dot_dot=*/true);
  // remove_dots keeps a trailing separator ("a/b/" stays); drop it except for the root.
  while (result.size() > 1 && path::is_separator(result.back()) &&
         result.str() != path::root_path(result))
    result.pop_back();
  return std::string(result);
}

bool isWithin(llvm::StringRef candidate, llvm::StringRef dir) {
  if (dir.empty() || !candidate.startswith(dir))
    return false;
  if (candidate.size() == dir.size() || path::is_separator(dir.back()))
    return true;
  return path::is_separator(candidate[dir.size()]);
}

std::string relativePath(llvm::StringRef target, llvm::StringRef base) {
  auto targetIt = path::begin(target), targetEnd = path::end(target);
  auto baseIt = path::begin(base), baseEnd = path::end(base);
  while (targetIt != targetEnd && baseIt != baseEnd && *targetIt == *baseIt) {
    ++targetIt;
    ++baseIt;
  }
  std::string result;
  auto append = [&result](llvm::StringRef component) {
    if (!result.empty())
      result += '/';
    result += component.str();
  };
  for (; baseIt != baseEnd; ++baseIt)
    append("..");
  for (; targetIt != targetEnd; ++targetIt)
    append(*targetIt);
  return result;
}

std::string joinPath(llvm::StringRef dir, llvm::StringRef relative) {
  if (relative.empty())
    return dir.str();
  return normalizePath(relative, dir);
}

bool isDirectory(llvm::StringRef p) {
  return fs::is_directory(p);
}
bool isRegularFile(llvm::StringRef p) {
  return fs::is_regular_file(p);
}

std::string stripJsonExtensions(llvm::StringRef text) {
  std::string out(text);
  if (llvm::StringRef(out).startswith("\xEF\xBB\xBF"))
    out.replace(0, 3, "   ");
  auto blank = [&out](size_t i) {
    if (out[i] != '\n' && out[i] != '\r')
      out[i] = ' ';
  };
  // Comments first, so that a comment between a comma and its closing bracket is whitespace
  // by the time trailing commas are looked for.
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (c == '"') {
      for (++i; i < out.size() && out[i] != '"'; ++i)
        if (out[i] == '\\')
          ++i;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
      for (; i < out.size() && out[i] != '\n'; ++i)
        blank(i);
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      size_t end = out.find("*/", i + 2);
      end = end == std::string::npos ? out.size() : end + 2;
      for (; i < end; ++i)
        blank(i);
      --i;
    }
  }
  for (size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (c == '"') {
      for (++i; i < out.size() && out[i] != '"'; ++i)
        if (out[i] == '\\')
          ++i;
    } else if (c == ',') {
      size_t next = out.find_first_not_of(" \t\r\n", i + 1);
      if (next != std::string::npos && (out[next] == '}' || out[next] == ']'))
        out[i] = ' ';
    }
  }
  return out;
}

llvm::Expected<llvm::json::Value> parseLenientJson(llvm::StringRef text) {
  return llvm::json::parse(stripJsonExtensions(text));
}

const char *jsonKindName(const llvm::json::Value &value) {
  switch (value.kind()) {
  case llvm::json::Value::Null:
    return "null";
  case llvm::json::Value::Boolean:
    return "a boolean";
  case llvm::json::Value::Number:
    return "a number";
  case llvm::json::Value::String:
    return "a string";
  case llvm::json::Value::Array:
    return "an array";
  case llvm::json::Value::Object:
    return "an object";
  }
  return "a value";
}

std::string Discovery::display(llvm::StringRef absolute) const {
  return relativePath(absolute, Model.srcRoot);
}

std::string Discovery::displayDir(llvm::StringRef absolute) const {
  std::string relative = display(absolute);
  return relative.empty() ? "./" : relative + "/";
}

std::string Discovery::rootRelativeDir(llvm::StringRef absolute) const {
  std::string relative = relativePath(absolute, Model.root);
  return relative.empty() ? "./" : relative + "/";
}

void Discovery::notify(Severity level, llvm::StringRef id, llvm::StringRef absolutePath,
                       const llvm::Twine &message) {
  Notification notification;
  notification.level = level;
  notification.id = id.str();
  notification.path = absolutePath.empty() ? std::string() : display(absolutePath);
  notification.message = message.str();
  Model.notifications.push_back(std::move(notification));
}

void Discovery::badConfig(llvm::StringRef absolutePath, const llvm::Twine &problem) {
  notify(Severity::Warning, "bad-config", absolutePath,
         display(absolutePath) + ": " + problem + "; ignoring it");
}

const llvm::json::Object *Discovery::readJsonObject(llvm::StringRef absolutePath) {
  auto cached = JsonCache.find(absolutePath);
  if (cached != JsonCache.end())
    return cached->second ? &*cached->second : nullptr;
  std::optional<llvm::json::Object> &slot = JsonCache[absolutePath];
  if (!fs::exists(absolutePath))
    return nullptr;
  auto buffer = llvm::MemoryBuffer::getFile(absolutePath, /*IsText=*/true);
  if (!buffer) {
    badConfig(absolutePath, "cannot be read (" + buffer.getError().message() + ")");
    return nullptr;
  }
  auto parsed = parseLenientJson((*buffer)->getBuffer());
  if (!parsed) {
    std::string problem = llvm::toString(parsed.takeError());
    // llvm::json reports "[line:column, byte=N]: message".
    std::optional<uint32_t> line, column;
    llvm::StringRef rest(problem);
    if (rest.consume_front("[")) {
      unsigned l = 0, c = 0;
      llvm::StringRef lineText = rest.take_until([](char ch) { return ch == ':'; });
      llvm::StringRef afterLine = rest.drop_front(std::min(rest.size(), lineText.size() + 1));
      llvm::StringRef columnText = afterLine.take_until([](char ch) { return ch == ','; });
      if (!lineText.getAsInteger(10, l) && !columnText.getAsInteger(10, c)) {
        line = l;
        column = c;
        size_t close = problem.find("]: ");
        if (close != std::string::npos)
          problem = problem.substr(close + 3);
      }
    }
    std::string where = line ? " at line " + std::to_string(*line) : "";
    badConfig(absolutePath, "invalid JSON" + where + " (" + problem + ")");
    Model.notifications.back().line = line;
    Model.notifications.back().column = column;
    return nullptr;
  }
  if (auto *object = parsed->getAsObject()) {
    slot = std::move(*object);
    return &*slot;
  }
  badConfig(absolutePath,
            llvm::Twine("the top level is ") + jsonKindName(*parsed) + ", not an object");
  return nullptr;
}

std::optional<std::string> Discovery::stringKey(const llvm::json::Object &object,
                                                llvm::StringRef key, llvm::StringRef absolutePath) {
  const llvm::json::Value *value = object.get(key);
  if (!value)
    return std::nullopt;
  if (auto text = value->getAsString())
    return text->str();
  badConfig(absolutePath, "\"" + key + "\" should be a string, found " + jsonKindName(*value));
  return std::nullopt;
}

} // namespace mpauth::project_detail
