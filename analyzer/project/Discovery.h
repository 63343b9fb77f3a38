// Internal to the project layer: the state shared by the steps of ProjectModel::discover
// (roots, cloud functions, files) and the path and JSON helpers they use.
#pragma once

#include "analyzer/project/Project.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace mpauth::project_detail {

// Absolute, with "." and ".." removed, native separators; symlinks are not resolved so that
// display paths stay the ones the user typed.
std::string normalizePath(llvm::StringRef path, llvm::StringRef base);
// True when `path` is `dir` or lies below it (component-wise, not a string prefix).
bool isWithin(llvm::StringRef path, llvm::StringRef dir);
// `path` relative to `base` with '/' separators: "" when equal, "../x" when outside.
std::string relativePath(llvm::StringRef path, llvm::StringRef base);
std::string joinPath(llvm::StringRef dir, llvm::StringRef relative);
bool isDirectory(llvm::StringRef path);
bool isRegularFile(llvm::StringRef path);

// JSON as project.config.json is written in practice: `//` and `/* */` comments and trailing
// commas are blanked (outside strings, keeping line numbers) before strict parsing.
std::string stripJsonExtensions(llvm::StringRef text);
llvm::Expected<llvm::json::Value> parseLenientJson(llvm::StringRef text);

const char *jsonKindName(const llvm::json::Value &value);

class Discovery {
public:
  explicit Discovery(ProjectModel &model) : Model(model) {}

  // Relative to the source root, '/' separators.
  std::string display(llvm::StringRef absolute) const;
  // A directory for the summary: relative to the source root with a trailing '/', "./" for
  // the source root itself.
  std::string displayDir(llvm::StringRef absolute) const;
  // A directory relative to the project root with a trailing '/', "./" for the root itself.
  std::string rootRelativeDir(llvm::StringRef absolute) const;
  std::string underRoot(llvm::StringRef relative) const { return joinPath(Model.root, relative); }

  void notify(Severity level, llvm::StringRef id, llvm::StringRef absolutePath,
              const llvm::Twine &message);
  void badConfig(llvm::StringRef absolutePath, const llvm::Twine &problem);

  // The top-level object of a JSON file, read once and kept (the pointer stays valid). A
  // missing file is nullptr without a word; an unreadable or broken one, or one whose top level
  // is not an object, is nullptr plus a bad-config notification.
  const llvm::json::Object *readJsonObject(llvm::StringRef absolutePath);
  // A string-valued key; a key of another type is bad-config and treated as absent.
  std::optional<std::string> stringKey(const llvm::json::Object &object, llvm::StringRef key,
                                       llvm::StringRef absolutePath);

  ProjectModel &Model;
  const DiscoveryOptions *Options = nullptr; // root overrides from the configuration
  // Each JSON file is read once, so that a broken one is reported once.
  llvm::StringMap<std::optional<llvm::json::Object>> JsonCache;
  // Build output replaced by its sources; the file walk does not enter these.
  std::vector<std::string> SkippedBuildDirs;
};

// Steps of discover(), in order.
void decideRoots(Discovery &discovery);
void discoverFunctions(Discovery &discovery);
// Once the files are listed: app.json and the entry files (AppJson.cpp).
void readMiniProgramApp(Discovery &discovery);

// Cloud function helpers shared by root inference and function discovery.
// The entry file of a function folder, empty when it has none.
std::string findFunctionEntry(Discovery &discovery, llvm::StringRef functionDir);
// The server SDK ("wx-server-sdk", "@cloudbase/node-sdk", "tcb-admin-node") the folder's
// package.json (or the nearest one above it, inside the project) depends on; empty for none.
std::string serverSdkDependency(Discovery &discovery, llvm::StringRef functionDir);
// The direct subfolders of `dir`, sorted, without dot-folders, node_modules and symlinks.
std::vector<std::string> subdirectories(llvm::StringRef dir);

} // namespace mpauth::project_detail
