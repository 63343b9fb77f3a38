// The project model (SPEC 2): root, roots, files, roles, cloud functions, import resolution.
//
// Decisions, in the order discover() takes them:
//
// Root and paths
// - Targets are resolved against the current directory; one that does not exist is the only
//   error. The project root is the nearest folder with project.config.json above the FIRST
//   target (a file target: its folder), else that folder. Paths are made absolute and cleaned
//   of "." and "..", but symlinks are not resolved, so that display paths are the user's.
// - The whole project root is always walked (a rule needs app.js and every cloud function even
//   when one file is named). Targets only decide `inTarget`: files under a directory target or
//   named as file targets; findings are reported only there. A target outside the project root
//   is a notification, not an error.
// - displayPath is relative to srcRoot; a file outside srcRoot gets "../" segments rather than
//   an absolute path.
//
// Roots (Roots.cpp)
// - project.config.json, then project.private.config.json (its keys win), give miniprogramRoot,
//   srcMiniprogramRoot (the developer tools' TypeScript/source root), cloudfunctionRoot and
//   pluginRoot; cloudbaserc.json gives functionRoot, used when cloudfunctionRoot is absent or
//   unusable. JSON may carry comments and trailing commas; a broken file or a key of the wrong
//   type is a "bad-config" warning and the key counts as absent.
// - A root with a "dist" or "unpackage" component (below the project root) is build output. Its
//   sources are looked for next to it and in each folder above it up to the project root: src/
//   of a Taro or uni-app project (named by package.json dependencies @tarojs/ or @dcloudio/, or
//   by src/app.config.* and pages.json), the project folder itself for HBuilderX uni-app, a src/
//   holding app.json for hand-rolled builds; for cloud functions src/functions/,
//   src/cloudfunctions/, functions/, cloudfunctions/. Replaced build output is not walked at all
//   (it would double every finding). Build output without any sources is analyzed as it is.
// - Without a usable miniprogramRoot: app.json at the project root (the developer tools' rule),
//   Taro/uni-app sources, miniprogram/, client/ (or its framework src/). Framework sources also
//   skip the generated dist/ and unpackage/ beside them.
// - Without a usable cloud function root, the first of cloudfunctions/, cloud/functions/,
//   cloud/src/functions/, functions/, cloud/ where a subfolder has an entry file and a
//   package.json (its own or the nearest above it, for one-package TypeScript layouts) that
//   depends on wx-server-sdk, @cloudbase/node-sdk or tcb-admin-node.
//
// Files
// - Kept: .js .mjs .cjs .ts .mts .cts .tsx .jsx .vue. Skipped silently: node_modules,
//   miniprogram_npm, dot-folders, replaced build output, *.min.js, *.d.ts (.d.mts, .d.cts), and
//   the ignore globs (matched against the path relative to the project root, and that path with
//   a leading "/" so that "/dist/**" and "**/gen/**" work as a gitignore user expects; a folder
//   is also tried with a trailing "/"). Oversize files are a note. Any skip of a file target is
//   a warning. Directory symlinks are never followed; file symlinks are kept.
//
// Roles (by location; content evidence is applied by the semantics layer)
// - The most specific root wins: under the cloud function root -> cloud (cloudFunction set when
//   inside a function folder, -1 for shared code beside them); under the client or plugin root
//   (plugin code runs in the mini program) -> client. With no client root known, everything else
//   is client except the top-level server folders server/, backend/, admin/, scripts/ and the
//   tool configuration at the top (*.config.*, gulpfile.*, Gruntfile.*, .*rc.*), which are other.
//
// App (AppJson.cpp)
// - app.json in the client root: its pages and subpackages (an independent one starts without
//   app.js running); the entry files app.js/app.ts (Taro .jsx/.tsx), uni-app App.vue + main.*.
//
// Imports
// - "./x", "../x": from the importing file's folder. "/x": the plugin root for plugin files, the
//   client root for client files, the project root otherwise. "@/x": the client root (the alias
//   Taro and uni-app templates define). Then the exact path, the path with .js .ts .mjs .cjs .jsx
//   .tsx .vue, a TypeScript source behind a ".js" specifier, and the folder's index.*.
#include "analyzer/project/Discovery.h"

#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace mpauth {

using namespace project_detail;

namespace {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

constexpr llvm::StringLiteral SourceExtensions[] = {".js",  ".mjs", ".cjs", ".ts", ".mts",
                                                    ".cts", ".tsx", ".jsx", ".vue"};
constexpr llvm::StringLiteral ImportExtensions[] = {".js",  ".ts",  ".mjs", ".cjs",
                                                    ".jsx", ".tsx", ".vue"};
constexpr llvm::StringLiteral ServerFolders[] = {"server", "backend", "admin", "scripts"};

struct Target {
  std::string absolute;
  bool isDirectory = false;
};

llvm::Expected<std::vector<Target>> resolveTargets(const DiscoveryOptions &options,
                                                   llvm::StringRef cwd) {
  std::vector<std::string> names = options.targets;
  if (names.empty())
    names.push_back(".");
  std::vector<Target> targets;
  for (const std::string &name : names) {
    Target target;
    target.absolute = normalizePath(name, cwd);
    fs::file_status status;
    if (fs::status(target.absolute, status) || !fs::exists(status)) {
      // Content from stdin for a file that does not exist yet: still a file of the project.
      bool isVirtual = llvm::any_of(options.virtualFiles, [&](const std::string &v) {
        return normalizePath(v, cwd) == target.absolute;
      });
      if (!isVirtual)
        return llvm::createStringError(std::errc::no_such_file_or_directory,
                                       "target '%s' does not exist", name.c_str());
      targets.push_back(std::move(target));
      continue;
    }
    target.isDirectory = fs::is_directory(status);
    targets.push_back(std::move(target));
  }
  return targets;
}

std::string findProjectRoot(llvm::StringRef start, bool &found) {
  for (std::string dir = start.str(); !dir.empty(); dir = path::parent_path(dir).str()) {
    if (isRegularFile(joinPath(dir, "project.config.json"))) {
      found = true;
      return dir;
    }
    if (path::parent_path(dir) == dir)
      break;
  }
  found = false;
  return start.str();
}

bool hasSourceExtension(llvm::StringRef name) {
  return llvm::any_of(SourceExtensions, [&](llvm::StringRef ext) { return name.endswith(ext); });
}

class FileWalker {
public:
  FileWalker(Discovery &discovery, const DiscoveryOptions &options)
      : D(discovery), Model(discovery.Model), MaxBytes(options.maxFileBytes) {
    for (const std::string &glob : options.ignoreGlobs) {
      auto pattern = llvm::GlobPattern::create(glob);
      if (!pattern) {
        D.notify(Severity::Warning, "bad-config", "",
                 "invalid ignore glob '" + glob + "' (" + llvm::toString(pattern.takeError()) +
                     "); ignoring it");
        continue;
      }
      Ignores.emplace_back(glob, std::move(*pattern));
    }
  }

  // Why the walk does not enter a folder, or nullopt.
  std::optional<std::string> folderSkip(llvm::StringRef absolute) const {
    llvm::StringRef name = path::filename(absolute);
    if (name == "node_modules" || name == "miniprogram_npm")
      return "it is inside " + name.str() + "/";
    if (name.startswith("."))
      return "it is inside the hidden folder " + name.str() + "/";
    if (llvm::is_contained(D.SkippedBuildDirs, absolute))
      return "it is inside the build output " + D.rootRelativeDir(absolute);
    std::string relative = relativePath(absolute, Model.root);
    if (auto glob = matchingIgnore(relative, /*isFolder=*/true))
      return "it matches the ignore glob '" + *glob + "'";
    return std::nullopt;
  }

  // Why a file is not listed, or nullopt; `size` is checked only when given.
  std::optional<std::string> fileSkip(llvm::StringRef absolute,
                                      std::optional<uint64_t> size) const {
    llvm::StringRef name = path::filename(absolute);
    if (!hasSourceExtension(name))
      return std::string("it is not a JavaScript, TypeScript or Vue source");
    if (name.endswith(".min.js"))
      return std::string("it is minified (*.min.js)");
    if (name.endswith(".d.ts") || name.endswith(".d.mts") || name.endswith(".d.cts"))
      return std::string("it is a TypeScript declaration file");
    if (auto glob = matchingIgnore(relativePath(absolute, Model.root), /*isFolder=*/false))
      return "it matches the ignore glob '" + *glob + "'";
    if (size && *size > MaxBytes)
      return "it is larger than " + std::to_string(MaxBytes) + " bytes (" + std::to_string(*size) +
             " bytes)";
    return std::nullopt;
  }

  // Walks the project root without recursion (deep trees) and without following folder
  // symlinks (loops).
  void walk(const llvm::StringSet<> &explicitFiles) {
    std::vector<std::string> pending{Model.root};
    while (!pending.empty()) {
      std::string dir = std::move(pending.back());
      pending.pop_back();
      std::vector<std::pair<std::string, fs::file_type>> entries;
      std::error_code error;
      for (fs::directory_iterator it(dir, error, /*follow_symlinks=*/false), end;
           it != end && !error; it.increment(error))
        entries.emplace_back(it->path(), it->type());
      if (error)
        D.notify(Severity::Note, "skipped-file", dir,
                 "cannot read the folder " + D.displayDir(dir) + " (" + error.message() + ")");
      // Reverse order on the stack keeps the walk (and its notes) in name order.
      std::sort(entries.begin(), entries.end(), std::greater<>());
      for (auto &[entry, type] : entries) {
        if (type == fs::file_type::symlink_file) {
          fs::file_status target;
          if (fs::status(entry, target, /*follow=*/true) || !fs::is_regular_file(target))
            continue; // folder symlinks are not followed; dangling ones are nothing
          type = fs::file_type::regular_file;
        }
        if (type == fs::file_type::directory_file) {
          if (!folderSkip(entry))
            pending.push_back(entry);
          continue;
        }
        if (type == fs::file_type::regular_file)
          considerFile(entry, explicitFiles.count(entry) != 0);
      }
    }
  }

  void considerFile(const std::string &absolute, bool isExplicit) {
    uint64_t size = 0;
    std::optional<uint64_t> knownSize;
    if (!fs::file_size(absolute, size))
      knownSize = size;
    if (auto skip = fileSkip(absolute, knownSize)) {
      // Only the size is worth a word for walked files; every other skip is the default.
      if (!isExplicit && knownSize && *knownSize > MaxBytes)
        D.notify(Severity::Note, "skipped-file", absolute,
                 "skipped " + D.display(absolute) + ": " + *skip);
      return;
    }
    ProjectFile file;
    file.absolutePath = absolute;
    file.displayPath = D.display(absolute);
    file.explicitlyNamed = isExplicit;
    Model.files.push_back(std::move(file));
  }

  // A file target the walk did not list: say why, or list it (reached through a folder symlink).
  void checkExplicit(const std::string &absolute, const llvm::StringSet<> &listed) {
    if (listed.count(absolute))
      return;
    auto skipped = [&](const std::string &why) {
      D.notify(Severity::Warning, "skipped-file", absolute,
               "skipped " + D.display(absolute) + ", although it was named: " + why);
    };
    if (!isWithin(absolute, Model.root))
      return skipped("it is outside the project root " + D.displayDir(Model.root));
    for (std::string dir = path::parent_path(absolute).str(); dir != Model.root && !dir.empty();
         dir = path::parent_path(dir).str())
      if (auto why = folderSkip(dir))
        return skipped(*why);
    uint64_t size = 0;
    std::optional<uint64_t> knownSize;
    if (!fs::file_size(absolute, size))
      knownSize = size;
    if (auto why = fileSkip(absolute, knownSize))
      return skipped(*why);
    considerFile(absolute, /*isExplicit=*/true);
  }

private:
  std::optional<std::string> matchingIgnore(const std::string &relative, bool isFolder) const {
    for (const auto &[text, pattern] : Ignores) {
      if (pattern.match(relative) || pattern.match("/" + relative) ||
          (isFolder && (pattern.match(relative + "/") || pattern.match("/" + relative + "/"))))
        return text;
    }
    return std::nullopt;
  }

  Discovery &D;
  ProjectModel &Model;
  uint64_t MaxBytes;
  std::vector<std::pair<std::string, llvm::GlobPattern>> Ignores;
};

bool isToolConfiguration(llvm::StringRef relative) {
  if (relative.contains('/'))
    return false;
  return relative.contains(".config.") || relative.startswith("gulpfile.") ||
         relative.startswith("Gruntfile.") ||
         (relative.startswith(".") && relative.contains("rc."));
}

bool inServerFolder(llvm::StringRef relative) {
  llvm::StringRef first = relative.take_until([](char c) { return c == '/'; });
  return first.size() < relative.size() && llvm::is_contained(ServerFolders, first);
}

// Length of the root `file` is under, 0 when it is not (so that the longest root wins).
size_t matchLength(llvm::StringRef file, llvm::StringRef root) {
  return !root.empty() && isWithin(file, root) ? root.size() : 0;
}

void assignRoles(ProjectModel &model) {
  for (ProjectFile &file : model.files) {
    llvm::StringRef absolute = file.absolutePath;
    size_t cloud = matchLength(absolute, model.cloudfunctionRoot);
    size_t client = std::max(matchLength(absolute, model.miniprogramRoot),
                             matchLength(absolute, model.pluginRoot));
    if (cloud > 0 && cloud >= client) {
      file.role = FileRole::Cloud;
      size_t best = 0;
      for (size_t i = 0; i < model.functions.size(); ++i) {
        size_t length = matchLength(absolute, model.functions[i].dir);
        if (length > best) {
          best = length;
          file.cloudFunction = static_cast<int>(i);
        }
      }
    } else if (client > 0) {
      file.role = FileRole::Client;
    } else if (model.miniprogramRoot.empty()) {
      std::string relative = relativePath(absolute, model.root);
      bool server = inServerFolder(relative) || isToolConfiguration(relative);
      file.role = server ? FileRole::Other : FileRole::Client;
    } else {
      file.role = FileRole::Other;
    }
  }
}

} // namespace

const char *roleName(FileRole role) {
  switch (role) {
  case FileRole::Client:
    return "client";
  case FileRole::Cloud:
    return "cloud";
  case FileRole::Other:
    return "other";
  }
  return "other";
}

llvm::Expected<std::string> ProjectModel::locateRoot(const DiscoveryOptions &options) {
  llvm::SmallString<256> cwdBuffer;
  if (std::error_code error = fs::current_path(cwdBuffer))
    return llvm::createStringError(error, "cannot read the current directory: %s",
                                   error.message().c_str());
  auto targets = resolveTargets(options, normalizePath(cwdBuffer, "/"));
  if (!targets)
    return targets.takeError();
  const Target &first = targets->front();
  bool found = false;
  return findProjectRoot(
      first.isDirectory ? first.absolute : path::parent_path(first.absolute).str(), found);
}

llvm::Expected<ProjectModel> ProjectModel::discover(const DiscoveryOptions &options) {
  llvm::SmallString<256> cwdBuffer;
  if (std::error_code error = fs::current_path(cwdBuffer))
    return llvm::createStringError(error, "cannot read the current directory: %s",
                                   error.message().c_str());
  std::string cwd = normalizePath(cwdBuffer, "/");
  auto targets = resolveTargets(options, cwd);
  if (!targets)
    return targets.takeError();

  ProjectModel model;
  const Target &first = targets->front();
  std::string start = first.isDirectory ? first.absolute : path::parent_path(first.absolute).str();
  bool foundConfig = false;
  model.root = findProjectRoot(start, foundConfig);
  if (!options.srcRoot.empty())
    model.srcRoot = normalizePath(options.srcRoot, cwd);
  else if (llvm::all_of(*targets, [&](const Target &t) { return isWithin(t.absolute, cwd); }))
    model.srcRoot = cwd;
  else
    model.srcRoot = model.root;

  Discovery discovery(model);
  discovery.Options = &options;
  model.summary.push_back("project root: " + discovery.displayDir(model.root) +
                          (foundConfig ? " (nearest project.config.json)"
                                       : " (no project.config.json above the target)"));
  decideRoots(discovery);
  discoverFunctions(discovery);

  FileWalker walker(discovery, options);
  llvm::StringSet<> explicitFiles;
  for (const Target &target : *targets) {
    if (!target.isDirectory)
      explicitFiles.insert(target.absolute);
    else if (!isWithin(target.absolute, model.root))
      discovery.notify(Severity::Warning, "skipped-file", target.absolute,
                       "skipped the folder " + discovery.displayDir(target.absolute) +
                           ": it is outside the project root " + discovery.displayDir(model.root));
  }
  walker.walk(explicitFiles);
  for (const Target &target : *targets) {
    if (!target.isDirectory || !isWithin(target.absolute, model.root))
      continue;
    for (std::string dir = target.absolute; dir != model.root && !dir.empty();
         dir = path::parent_path(dir).str()) {
      if (auto why = walker.folderSkip(dir)) {
        discovery.notify(Severity::Warning, "skipped-file", target.absolute,
                         "skipped the folder " + discovery.displayDir(target.absolute) +
                             ", although it was named: " + *why);
        break;
      }
    }
  }
  llvm::StringSet<> listed;
  for (const ProjectFile &file : model.files)
    listed.insert(file.absolutePath);
  for (const Target &target : *targets)
    if (!target.isDirectory)
      walker.checkExplicit(target.absolute, listed);

  std::sort(model.files.begin(), model.files.end(), [](const ProjectFile &a, const ProjectFile &b) {
    return a.displayPath < b.displayPath;
  });
  model.files.erase(std::unique(model.files.begin(), model.files.end(),
                                [](const ProjectFile &a, const ProjectFile &b) {
                                  return a.absolutePath == b.absolutePath;
                                }),
                    model.files.end());
  for (ProjectFile &file : model.files)
    file.inTarget = file.explicitlyNamed || llvm::any_of(*targets, [&](const Target &t) {
                      return t.isDirectory && isWithin(file.absolutePath, t.absolute);
                    });
  assignRoles(model);
  for (size_t i = 0; i < model.files.size(); ++i)
    model.indexByPath[model.files[i].absolutePath] = i;
  readMiniProgramApp(discovery);
  return model;
}

std::optional<size_t> ProjectModel::resolveImport(size_t fromFile,
                                                  llvm::StringRef specifier) const {
  if (fromFile >= files.size())
    return std::nullopt;
  const ProjectFile &from = files[fromFile];
  specifier = specifier.trim();
  std::string base;
  if (specifier == "." || specifier == ".." || specifier.startswith("./") ||
      specifier.startswith("../")) {
    base = joinPath(path::parent_path(from.absolutePath), specifier);
  } else if (specifier.startswith("/")) {
    // The mini program runtime reads "/utils/x" from the mini program (or plugin) root.
    llvm::StringRef anchor = root;
    if (!pluginRoot.empty() && isWithin(from.absolutePath, pluginRoot))
      anchor = pluginRoot;
    else if (from.role == FileRole::Client && !miniprogramRoot.empty())
      anchor = miniprogramRoot;
    base = joinPath(anchor, specifier.drop_front().ltrim('/'));
  } else if (specifier.startswith("@/") && !miniprogramRoot.empty()) {
    base = joinPath(miniprogramRoot, specifier.drop_front(2));
  } else {
    return std::nullopt; // a package: node_modules and miniprogram_npm are not modelled
  }

  auto lookup = [this](const std::string &candidate) -> std::optional<size_t> {
    auto found = indexByPath.find(candidate);
    if (found == indexByPath.end())
      return std::nullopt;
    return found->second;
  };
  if (auto found = lookup(base))
    return found;
  for (llvm::StringRef extension : ImportExtensions)
    if (auto found = lookup(base + extension.str()))
      return found;
  // TypeScript's ESM convention imports "./x.js" for the source x.ts.
  llvm::StringRef stem = base;
  for (auto [js, ts] : {std::pair{".js", ".ts"},
                        {".js", ".tsx"},
                        {".mjs", ".mts"},
                        {".cjs", ".cts"},
                        {".jsx", ".tsx"}})
    if (stem.endswith(js))
      if (auto found = lookup((stem.drop_back(llvm::StringRef(js).size()) + ts).str()))
        return found;
  for (llvm::StringRef extension : ImportExtensions)
    if (auto found = lookup(joinPath(base, ("index" + extension).str())))
      return found;
  return std::nullopt;
}

const CloudFunction *ProjectModel::functionOf(size_t file) const {
  if (file >= files.size() || files[file].cloudFunction < 0)
    return nullptr;
  return &functions[static_cast<size_t>(files[file].cloudFunction)];
}

} // namespace mpauth
