// Cloud functions (SPEC 2, 3.2, 3.10): each folder under the cloud function root that has an
// entry, with the wx-server-sdk version it runs with and its config.json.
#include "analyzer/project/Discovery.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

namespace mpauth::project_detail {
namespace {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

constexpr llvm::StringLiteral EntryExtensions[] = {".js", ".ts", ".mjs", ".cjs"};
// Where Node and the TypeScript templates put a function's code when package.json says nothing.
constexpr llvm::StringLiteral DefaultEntries[] = {"index.js",    "index.ts",     "index.mjs",
                                                  "index.cjs",   "src/index.ts", "src/index.js",
                                                  "src/main.ts", "src/main.js"};
constexpr llvm::StringLiteral ServerSdks[] = {"wx-server-sdk", "@cloudbase/node-sdk",
                                              "tcb-admin-node"};

// A `main` as Node resolves it: the file, the file with an extension, the folder's index.
std::string resolveMain(llvm::StringRef functionDir, llvm::StringRef main) {
  std::string base = joinPath(functionDir, main);
  if (!isWithin(base, functionDir))
    return {};
  if (isRegularFile(base))
    return base;
  for (llvm::StringRef extension : EntryExtensions)
    if (isRegularFile(base + extension.str()))
      return base + extension.str();
  for (llvm::StringRef extension : EntryExtensions) {
    std::string index = joinPath(base, ("index" + extension).str());
    if (isRegularFile(index))
      return index;
  }
  return {};
}

bool isBuildOutputPath(llvm::StringRef relative) {
  llvm::StringRef first = relative.take_until([](char c) { return c == '/'; });
  return first == "dist" || first == "build";
}

// The folder whose package.json describes `dir`: `dir` itself or the nearest one above it,
// inside the project (TypeScript layouts keep one package.json for all functions).
std::string nearestPackageDir(Discovery &discovery, llvm::StringRef dir) {
  for (std::string current = dir.str(); isWithin(current, discovery.Model.root);
       current = path::parent_path(current).str()) {
    if (isRegularFile(joinPath(current, "package.json")))
      return current;
    if (current == discovery.Model.root)
      break;
  }
  return {};
}

const llvm::json::Object *dependencyObject(Discovery &discovery, const llvm::json::Object &package,
                                           llvm::StringRef key, llvm::StringRef packagePath) {
  const llvm::json::Value *value = package.get(key);
  if (!value)
    return nullptr;
  if (const auto *object = value->getAsObject())
    return object;
  discovery.badConfig(packagePath,
                      "\"" + key + "\" should be an object, found " + jsonKindName(*value));
  return nullptr;
}

std::optional<std::string> lockedVersion(const llvm::json::Object &lock) {
  // lockfileVersion 2 and 3 list every installed package under "packages".
  if (const auto *packages = lock.getObject("packages"))
    if (const auto *entry = packages->getObject("node_modules/wx-server-sdk"))
      if (auto version = entry->getString("version"))
        return version->str();
  // lockfileVersion 1 (and the compatibility section of 2) nest them under "dependencies".
  if (const auto *dependencies = lock.getObject("dependencies"))
    if (const auto *entry = dependencies->getObject("wx-server-sdk"))
      if (auto version = entry->getString("version"))
        return version->str();
  return std::nullopt;
}

SdkVersionInfo readWxServerSdk(Discovery &discovery, llvm::StringRef functionDir) {
  SdkVersionInfo info;
  std::string packageDir = nearestPackageDir(discovery, functionDir);
  if (packageDir.empty())
    return info;
  // The lockfile says what is installed; a broken one is reported and package.json still bounds
  // what can be installed, so it is read next.
  std::string lockPath = joinPath(packageDir, "package-lock.json");
  if (const auto *lock = discovery.readJsonObject(lockPath)) {
    if (auto text = lockedVersion(*lock)) {
      if (auto version = parseSdkVersion(*text)) {
        info.kind = SdkVersionInfo::Kind::Exact;
        info.version = *version;
        info.spec = *text;
        info.source = discovery.display(lockPath);
        return info;
      }
    }
  }
  std::string packagePath = joinPath(packageDir, "package.json");
  const auto *package = discovery.readJsonObject(packagePath);
  if (!package)
    return info;
  for (llvm::StringRef key : {"dependencies", "devDependencies"}) {
    const auto *dependencies = dependencyObject(discovery, *package, key, packagePath);
    if (!dependencies)
      continue;
    const llvm::json::Value *spec = dependencies->get("wx-server-sdk");
    if (!spec)
      continue;
    auto text = spec->getAsString();
    if (!text) {
      discovery.badConfig(packagePath, "\"" + key + ".wx-server-sdk\" should be a string, found " +
                                           jsonKindName(*spec));
      return info;
    }
    info = classifySdkSpec(*text);
    info.source = discovery.display(packagePath);
    return info;
  }
  return info;
}

void readFunctionConfig(Discovery &discovery, CloudFunction &function) {
  std::string configPath = joinPath(function.dir, "config.json");
  function.hasConfigJson = isRegularFile(configPath);
  const auto *config = discovery.readJsonObject(configPath);
  if (!config)
    return;
  if (const llvm::json::Value *triggers = config->get("triggers")) {
    const auto *list = triggers->getAsArray();
    if (!list)
      discovery.badConfig(configPath, llvm::Twine("\"triggers\" should be an array, found ") +
                                          jsonKindName(*triggers));
    for (size_t i = 0; list && i < list->size(); ++i) {
      const auto *trigger = (*list)[i].getAsObject();
      llvm::Optional<llvm::StringRef> name;
      if (trigger)
        name = trigger->getString("name");
      if (name)
        function.triggers.push_back(name->str());
      else
        discovery.badConfig(configPath,
                            "\"triggers[" + llvm::Twine(i) + "].name\" should be a string");
    }
  }
  const llvm::json::Value *permissions = config->get("permissions");
  if (!permissions)
    return;
  const auto *permissionObject = permissions->getAsObject();
  if (!permissionObject) {
    discovery.badConfig(configPath, llvm::Twine("\"permissions\" should be an object, found ") +
                                        jsonKindName(*permissions));
    return;
  }
  const llvm::json::Value *openapi = permissionObject->get("openapi");
  if (!openapi)
    return;
  const auto *apis = openapi->getAsArray();
  if (!apis) {
    discovery.badConfig(configPath,
                        llvm::Twine("\"permissions.openapi\" should be an array, found ") +
                            jsonKindName(*openapi));
    return;
  }
  for (size_t i = 0; i < apis->size(); ++i) {
    if (auto api = (*apis)[i].getAsString())
      function.openapiPermissions.push_back(api->str());
    else
      discovery.badConfig(configPath,
                          "\"permissions.openapi[" + llvm::Twine(i) + "]\" should be a string");
  }
}

} // namespace

std::string findFunctionEntry(Discovery &discovery, llvm::StringRef functionDir) {
  std::string fromDefaults;
  for (llvm::StringRef candidate : DefaultEntries) {
    std::string file = joinPath(functionDir, candidate);
    if (isRegularFile(file)) {
      fromDefaults = file;
      break;
    }
  }
  std::string packagePath = joinPath(functionDir, "package.json");
  const auto *package = discovery.readJsonObject(packagePath);
  std::optional<std::string> main =
      package ? discovery.stringKey(*package, "main", packagePath) : std::nullopt;
  std::string fromMain = main ? resolveMain(functionDir, *main) : std::string();
  if (fromMain.empty())
    return fromDefaults;
  // A TypeScript function's main points at its compiled output; analyze the sources instead
  // when they are at hand.
  if (!fromDefaults.empty() && isBuildOutputPath(relativePath(fromMain, functionDir)) &&
      !isBuildOutputPath(relativePath(fromDefaults, functionDir)))
    return fromDefaults;
  return fromMain;
}

std::string serverSdkDependency(Discovery &discovery, llvm::StringRef functionDir) {
  std::string packageDir = nearestPackageDir(discovery, functionDir);
  if (packageDir.empty())
    return {};
  std::string packagePath = joinPath(packageDir, "package.json");
  const auto *package = discovery.readJsonObject(packagePath);
  if (!package)
    return {};
  for (llvm::StringRef key : {"dependencies", "devDependencies"})
    if (const auto *dependencies = dependencyObject(discovery, *package, key, packagePath))
      for (llvm::StringRef sdk : ServerSdks)
        if (dependencies->get(sdk))
          return sdk.str();
  return {};
}

std::vector<std::string> subdirectories(llvm::StringRef dir) {
  std::vector<std::string> result;
  std::error_code error;
  for (fs::directory_iterator it(dir, error, /*follow_symlinks=*/false), end; it != end && !error;
       it.increment(error)) {
    if (it->type() != fs::file_type::directory_file)
      continue;
    llvm::StringRef name = path::filename(it->path());
    if (name.startswith(".") || name == "node_modules")
      continue;
    result.push_back(it->path());
  }
  std::sort(result.begin(), result.end());
  return result;
}

void discoverFunctions(Discovery &discovery) {
  ProjectModel &model = discovery.Model;
  if (model.cloudfunctionRoot.empty())
    return;
  for (const std::string &dir : subdirectories(model.cloudfunctionRoot)) {
    std::string entry = findFunctionEntry(discovery, dir);
    if (entry.empty())
      continue; // shared code or a folder that is not (yet) a function
    CloudFunction function;
    function.name = path::filename(dir).str();
    function.dir = dir;
    function.displayDir = discovery.display(dir);
    function.entry = entry;
    function.wxServerSdk = readWxServerSdk(discovery, dir);
    readFunctionConfig(discovery, function);
    model.functions.push_back(std::move(function));
  }
}

} // namespace mpauth::project_detail
