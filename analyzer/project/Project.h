// The project layer (SPEC 2): where the project is, which roots it uses and why, which files
// belong to it with which role, its cloud functions, and how relative imports resolve.
#pragma once

#include "analyzer/diagnostics/Diagnostic.h"
#include "analyzer/project/AppJson.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace mpauth {

enum class FileRole { Client, Cloud, Other };
const char *roleName(FileRole role);

// A semantic version as far as it is known.
struct SdkVersion {
  unsigned major = 0, minor = 0, patch = 0;
  friend auto operator<=>(const SdkVersion &, const SdkVersion &) = default;
};
std::string toString(const SdkVersion &version); // "2.6.3"
// "2.6.3", "v2.6.3", "=2.6.3"; prerelease and build suffixes are ignored. Nothing else.
std::optional<SdkVersion> parseSdkVersion(llvm::StringRef text);

// What we know about the wx-server-sdk a cloud function runs with.
struct SdkVersionInfo {
  enum class Kind {
    Unknown,   // no dependency found, or a spec that is not a semver range ("file:..", "next")
    Exact,     // package-lock.json resolved version, or an exact pin in package.json
    BelowFour, // a range that cannot reach 4.x ("^2.6.3", "~3.0.0", "2.x"); `version` = its floor
    Latest,    // "latest", "*", "" or a range that admits 4.x ("^4.0.0", ">=2")
  };
  Kind kind = Kind::Unknown;
  SdkVersion version;    // Exact: the version; BelowFour: the lowest version the range admits
  SdkVersion upperBound; // BelowFour: every version the range admits is below this
  std::string spec;      // as written, e.g. "~2.6.3"
  std::string source;    // display path of the file it came from
  // True when the SDK in use is known to be below 4.0.1 (a missing env means the FIRST env).
  bool knownBelow4() const;
  // True when the SDK in use is known to predate DYNAMIC_CURRENT_ENV (below 1.1.1).
  bool knownBelow111() const;
};

// Classifies a package.json dependency spec ("~2.6.3", ">=2.0.0 <4", "latest", ...) with npm's
// range semantics; `source` is left empty.
SdkVersionInfo classifySdkSpec(llvm::StringRef spec);

struct CloudFunction {
  std::string name;
  std::string dir;        // absolute
  std::string displayDir; // relative to the source root
  std::string entry;      // absolute path of the entry file, empty when none was found
  SdkVersionInfo wxServerSdk;
  bool hasConfigJson = false;
  std::vector<std::string> triggers;           // config.json triggers[].name
  std::vector<std::string> openapiPermissions; // config.json permissions.openapi
};

struct ProjectFile {
  std::string absolutePath;
  std::string displayPath; // relative to ProjectModel::srcRoot, '/' separators
  FileRole role = FileRole::Other;
  int cloudFunction = -1; // index into ProjectModel::functions, or -1
  bool explicitlyNamed = false;
  // Under a directory target or named as a file target. The whole project is always modelled,
  // but findings are reported only in these files (SPEC 4 "Scope").
  bool inTarget = false;
};

struct DiscoveryOptions {
  std::vector<std::string> targets;     // directories or files; empty means "."
  std::string srcRoot;                  // absolute; empty: current directory if it contains
                                        // every target, else the project root
  std::vector<std::string> ignoreGlobs; // extra ignore globs (config)
  uint64_t maxFileBytes = 2 * 1024 * 1024;
  // Root overrides (.mpauth.json `roots`), relative to the project root; empty: not set. They
  // take the place of project.config.json's keys; `rootsSource` names them in the summary.
  std::string miniprogramRoot;
  std::string cloudfunctionRoot;
  std::string rootsSource = ".mpauth.json";
  // Absolute paths of files whose content comes from elsewhere (--stdin-filename): a target
  // among them is a file even when nothing is on disk yet.
  std::vector<std::string> virtualFiles;
};

struct ProjectModel {
  std::string root;    // absolute project root (nearest project.config.json upwards, or target)
  std::string srcRoot; // absolute, what output paths are relative to
  // Absolute roots; empty when absent. Each root has a line in `summary` saying why.
  std::string miniprogramRoot;
  std::string cloudfunctionRoot;
  std::string pluginRoot;
  std::vector<std::string> summary;
  std::vector<CloudFunction> functions;
  std::vector<ProjectFile> files;          // sorted by displayPath; only analyzable sources
  std::vector<Notification> notifications; // broken config, skipped explicit files, ...
  MiniProgramApp app;                      // app.json pages and subpackages, entry files

  // Walks the targets and builds the model. Errors only for unusable targets (a path that
  // does not exist); everything else becomes a notification.
  static llvm::Expected<ProjectModel> discover(const DiscoveryOptions &options);
  // The project root discover() would choose, without walking anything (the configuration is
  // looked for from there before discovery starts). Same errors as discover().
  static llvm::Expected<std::string> locateRoot(const DiscoveryOptions &options);

  // Resolves a relative specifier ("./config", "../utils/db.js", "/utils/x" from the client
  // root) from `fromFile` to an index in `files`, trying the extensions and /index files Node
  // and the mini program runtime try. Bare package names resolve to nothing.
  std::optional<size_t> resolveImport(size_t fromFile, llvm::StringRef specifier) const;

  // The cloud function a file belongs to, if any.
  const CloudFunction *functionOf(size_t file) const;

  llvm::StringMap<size_t> indexByPath; // absolutePath -> index in files
};

} // namespace mpauth
