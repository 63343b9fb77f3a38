// Which folders hold the client, the cloud functions and the plugin (SPEC 2, 3.10), and why:
// every decision leaves one line in ProjectModel::summary.
#include "analyzer/project/Discovery.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Path.h"

#include <tuple>

namespace mpauth::project_detail {
namespace {

namespace path = llvm::sys::path;

struct ConfiguredRoot {
  std::string key;      // "miniprogramRoot"
  std::string label;    // "project.config.json miniprogramRoot"
  std::string absolute; // resolved against the project root
};

struct RootConfig {
  std::optional<ConfiguredRoot> miniprogram, srcMiniprogram, cloudfunction, plugin;
  std::optional<ConfiguredRoot> cloudbaseFunctions; // cloudbaserc.json functionRoot
};

std::string resolveConfigured(Discovery &discovery, llvm::StringRef value) {
  std::string text = value.trim().str();
  std::replace(text.begin(), text.end(), '\\', '/');
  return text.empty() ? discovery.Model.root : discovery.underRoot(text);
}

void readRootKeys(
    Discovery &discovery, llvm::StringRef fileName,
    llvm::ArrayRef<std::pair<llvm::StringRef, std::optional<ConfiguredRoot> *>> keys) {
  std::string file = discovery.underRoot(fileName);
  const llvm::json::Object *config = discovery.readJsonObject(file);
  if (!config)
    return;
  for (const auto &[key, slot] : keys)
    if (auto value = discovery.stringKey(*config, key, file))
      *slot = ConfiguredRoot{key.str(), (fileName + " " + key).str(),
                             resolveConfigured(discovery, *value)};
}

RootConfig readRootConfig(Discovery &discovery) {
  RootConfig config;
  // The private file is the developer's local override of the shared one: read it second.
  for (llvm::StringRef fileName : {"project.config.json", "project.private.config.json"})
    readRootKeys(discovery, fileName,
                 {{"miniprogramRoot", &config.miniprogram},
                  {"srcMiniprogramRoot", &config.srcMiniprogram},
                  {"cloudfunctionRoot", &config.cloudfunction},
                  {"pluginRoot", &config.plugin}});
  readRootKeys(discovery, "cloudbaserc.json", {{"functionRoot", &config.cloudbaseFunctions}});
  // The analyzer's own configuration (.mpauth.json `roots`) overrides the project's files.
  if (const DiscoveryOptions *options = discovery.Options) {
    for (auto [value, key, slot] :
         {std::tuple{&options->miniprogramRoot, "miniprogramRoot", &config.miniprogram},
          std::tuple{&options->cloudfunctionRoot, "cloudfunctionRoot", &config.cloudfunction}})
      if (!value->empty())
        *slot = ConfiguredRoot{key, options->rootsSource + " roots." + key,
                               resolveConfigured(discovery, *value)};
  }
  return config;
}

std::string joinReasons(llvm::ArrayRef<std::string> reasons) {
  return llvm::join(reasons.begin(), reasons.end(), "; ");
}

// The topmost generated folder in a root ("client/dist" for "client/dist/", "dist" for
// uni-app's "dist/dev/mp-weixin/", "unpackage" for HBuilderX), absolute; empty when the root
// is not build output. Only the part below the project root is judged.
std::string buildOutputTop(Discovery &discovery, llvm::StringRef absolute) {
  std::string relative = relativePath(absolute, discovery.Model.root);
  if (relative == ".." || llvm::StringRef(relative).startswith("../"))
    return {};
  llvm::SmallVector<llvm::StringRef, 8> components;
  llvm::StringRef(relative).split(components, '/', -1, /*KeepEmpty=*/false);
  std::string prefix;
  for (llvm::StringRef component : components) {
    prefix += prefix.empty() ? component.str() : "/" + component.str();
    if (component == "dist" || component == "unpackage")
      return discovery.underRoot(prefix);
  }
  return {};
}

enum class Framework { None, Taro, UniApp };

Framework frameworkOf(Discovery &discovery, llvm::StringRef dir) {
  std::string packagePath = joinPath(dir, "package.json");
  if (const auto *package = discovery.readJsonObject(packagePath)) {
    for (llvm::StringRef key : {"dependencies", "devDependencies"}) {
      const auto *dependencies = package->getObject(key);
      if (!dependencies)
        continue;
      for (const auto &dependency : *dependencies) {
        llvm::StringRef name = dependency.first;
        if (name.startswith("@tarojs/"))
          return Framework::Taro;
        if (name.startswith("@dcloudio/"))
          return Framework::UniApp;
      }
    }
  }
  for (llvm::StringRef file : {"src/app.config.ts", "src/app.config.js"})
    if (isRegularFile(joinPath(dir, file)))
      return Framework::Taro;
  if (isRegularFile(joinPath(dir, "src/pages.json")) || isRegularFile(joinPath(dir, "pages.json")))
    return Framework::UniApp;
  return Framework::None;
}

const char *frameworkName(Framework framework) {
  switch (framework) {
  case Framework::Taro:
    return "Taro";
  case Framework::UniApp:
    return "uni-app";
  case Framework::None:
    break;
  }
  return "";
}

struct RootChoice {
  std::string dir;
  std::string why;
};

// The client sources of a Taro or uni-app project rooted at `dir`: src/ (Taro, uni-app CLI) or
// `dir` itself (uni-app from HBuilderX keeps pages.json and App.vue at the top).
std::optional<RootChoice> frameworkSources(Discovery &discovery, llvm::StringRef dir) {
  Framework framework = frameworkOf(discovery, dir);
  std::string src = joinPath(dir, "src");
  if (framework != Framework::None && isDirectory(src))
    return RootChoice{src, std::string("using ") + frameworkName(framework) + " sources"};
  if (framework == Framework::UniApp && isRegularFile(joinPath(dir, "pages.json")))
    return RootChoice{dir.str(), "using uni-app sources"};
  // A hand-rolled build (gulp, webpack) of a native mini program: src/ holds app.json.
  if (isRegularFile(joinPath(src, "app.json")))
    return RootChoice{src, "using the sources in src/"};
  return std::nullopt;
}

// Looks for the sources of a build output folder next to it, then in each folder above it up
// to the project root.
template <typename Finder>
std::optional<RootChoice> sourcesAbove(Discovery &discovery, llvm::StringRef buildTop,
                                       Finder find) {
  for (std::string dir = path::parent_path(buildTop).str(); isWithin(dir, discovery.Model.root);
       dir = path::parent_path(dir).str()) {
    if (auto found = find(dir))
      return found;
    if (dir == discovery.Model.root)
      break;
  }
  return std::nullopt;
}

// Build output is never analyzed next to its sources; its sibling generated folders go too
// (a Taro src/ next to dist/, a uni-app project's unpackage/).
void skipBuildOutputNextTo(Discovery &discovery, llvm::StringRef sourcesDir) {
  std::string parent = path::parent_path(sourcesDir).str();
  for (llvm::StringRef generated : {"dist", "unpackage"}) {
    for (const std::string &dir : {joinPath(parent, generated), joinPath(sourcesDir, generated)})
      if (isDirectory(dir) && dir != sourcesDir && isWithin(dir, discovery.Model.root))
        discovery.SkippedBuildDirs.push_back(dir);
  }
}

std::optional<RootChoice> inferClientRoot(Discovery &discovery) {
  const std::string &root = discovery.Model.root;
  // The developer tools require app.json in the mini program root.
  if (isRegularFile(joinPath(root, "app.json")))
    return RootChoice{root, "app.json is at the project root"};
  if (auto sources = frameworkSources(discovery, root)) {
    skipBuildOutputNextTo(discovery, sources->dir);
    return sources;
  }
  std::string miniprogram = joinPath(root, "miniprogram");
  if (isDirectory(miniprogram))
    return RootChoice{miniprogram, "found miniprogram/"};
  std::string client = joinPath(root, "client");
  if (isDirectory(client)) {
    if (auto sources = frameworkSources(discovery, client)) {
      skipBuildOutputNextTo(discovery, sources->dir);
      return sources;
    }
    return RootChoice{client, "found client/"};
  }
  return std::nullopt;
}

void useClientRoot(Discovery &discovery, const std::string &dir, const std::string &why) {
  discovery.Model.miniprogramRoot = dir;
  discovery.Model.summary.push_back("client: " + discovery.displayDir(dir) + " (" + why + ")");
}

void decideClientRoot(Discovery &discovery, const RootConfig &config) {
  std::vector<std::string> reasons;
  if (config.miniprogram) {
    const ConfiguredRoot &configured = *config.miniprogram;
    std::string shown = configured.key + " " + discovery.rootRelativeDir(configured.absolute);
    std::string buildTop = buildOutputTop(discovery, configured.absolute);
    if (buildTop.empty() && isDirectory(configured.absolute))
      return useClientRoot(discovery, configured.absolute, configured.label);
    if (!buildTop.empty()) {
      std::string reason = shown + " is build output";
      if (config.srcMiniprogram && isDirectory(config.srcMiniprogram->absolute) &&
          buildOutputTop(discovery, config.srcMiniprogram->absolute).empty()) {
        discovery.SkippedBuildDirs.push_back(buildTop);
        return useClientRoot(discovery, config.srcMiniprogram->absolute,
                             reason + "; using " + config.srcMiniprogram->label);
      }
      auto sources = sourcesAbove(discovery, buildTop, [&](llvm::StringRef dir) {
        return frameworkSources(discovery, dir);
      });
      if (sources) {
        discovery.SkippedBuildDirs.push_back(buildTop);
        return useClientRoot(discovery, sources->dir, reason + "; " + sources->why);
      }
      // Only the build output is there: analyze it rather than nothing.
      if (isDirectory(configured.absolute))
        return useClientRoot(discovery, configured.absolute,
                             configured.label + "; build output, but no sources were found");
      reasons.push_back(shown + " is build output and does not exist");
    } else {
      reasons.push_back(shown + " does not exist");
    }
  } else if (config.srcMiniprogram && isDirectory(config.srcMiniprogram->absolute)) {
    return useClientRoot(discovery, config.srcMiniprogram->absolute, config.srcMiniprogram->label);
  } else {
    reasons.push_back("no miniprogramRoot configured");
  }
  if (auto inferred = inferClientRoot(discovery)) {
    reasons.push_back(inferred->why);
    return useClientRoot(discovery, inferred->dir, joinReasons(reasons));
  }
  reasons.push_back("no miniprogram/, client/ or framework src/ folder; files outside the cloud "
                    "functions and server folders count as client code");
  discovery.Model.summary.push_back("client: none (" + joinReasons(reasons) + ")");
}

// How many subfolders of `dir` are evidently cloud functions: an entry file and a package.json
// that depends on a server SDK. `sdk` receives the SDK the first of them depends on.
size_t countEvidentFunctions(Discovery &discovery, llvm::StringRef dir, std::string &sdk) {
  size_t count = 0;
  for (const std::string &candidate : subdirectories(dir)) {
    if (findFunctionEntry(discovery, candidate).empty())
      continue;
    std::string dependency = serverSdkDependency(discovery, candidate);
    if (dependency.empty())
      continue;
    if (sdk.empty())
      sdk = dependency;
    ++count;
  }
  return count;
}

std::string evidenceText(size_t count, llvm::StringRef sdk) {
  return std::to_string(count) + (count == 1 ? " folder has" : " folders have") +
         " an entry file and a package.json that depends on " + sdk.str();
}

// Where TypeScript templates keep the sources of functions compiled to `buildTop`.
std::optional<RootChoice> functionSources(Discovery &discovery, llvm::StringRef buildTop) {
  return sourcesAbove(discovery, buildTop, [&](llvm::StringRef dir) -> std::optional<RootChoice> {
    for (llvm::StringRef candidate :
         {"src/functions", "src/cloudfunctions", "functions", "cloudfunctions"}) {
      std::string sourceDir = joinPath(dir, candidate);
      std::string sdk;
      if (isDirectory(sourceDir) && !isWithin(sourceDir, buildTop) &&
          countEvidentFunctions(discovery, sourceDir, sdk) > 0)
        return RootChoice{sourceDir, "using the function sources"};
    }
    return std::nullopt;
  });
}

std::optional<RootChoice> inferCloudRoot(Discovery &discovery) {
  for (llvm::StringRef candidate :
       {"cloudfunctions", "cloud/functions", "cloud/src/functions", "functions", "cloud"}) {
    std::string dir = discovery.underRoot(candidate);
    std::string sdk;
    if (!isDirectory(dir))
      continue;
    if (size_t count = countEvidentFunctions(discovery, dir, sdk))
      return RootChoice{dir, "inferred: " + evidenceText(count, sdk)};
  }
  return std::nullopt;
}

void useCloudRoot(Discovery &discovery, const std::string &dir, const std::string &why) {
  discovery.Model.cloudfunctionRoot = dir;
  discovery.Model.summary.push_back("cloud functions: " + discovery.displayDir(dir) + " (" + why +
                                    ")");
}

void decideCloudRoot(Discovery &discovery, const RootConfig &config) {
  std::vector<std::string> reasons;
  for (const auto *configured : {&config.cloudfunction, &config.cloudbaseFunctions}) {
    if (!*configured)
      continue;
    const ConfiguredRoot &root = **configured;
    std::string shown = root.key + " " + discovery.rootRelativeDir(root.absolute);
    std::string buildTop = buildOutputTop(discovery, root.absolute);
    if (buildTop.empty() && isDirectory(root.absolute)) {
      reasons.push_back(root.label);
      return useCloudRoot(discovery, root.absolute, joinReasons(reasons));
    }
    if (buildTop.empty()) {
      reasons.push_back(shown + " does not exist");
      continue;
    }
    std::string reason = shown + " is build output";
    if (auto sources = functionSources(discovery, buildTop)) {
      discovery.SkippedBuildDirs.push_back(buildTop);
      reasons.push_back(reason);
      reasons.push_back(sources->why);
      return useCloudRoot(discovery, sources->dir, joinReasons(reasons));
    }
    if (isDirectory(root.absolute))
      return useCloudRoot(discovery, root.absolute,
                          root.label + "; build output, but no sources were found");
    reasons.push_back(reason + " and does not exist");
  }
  if (reasons.empty())
    reasons.push_back("no cloudfunctionRoot configured");
  if (auto inferred = inferCloudRoot(discovery)) {
    reasons.push_back(inferred->why);
    return useCloudRoot(discovery, inferred->dir, joinReasons(reasons));
  }
  reasons.push_back("no cloudfunctions/, cloud/functions/, functions/ or cloud/ folder holds "
                    "functions");
  discovery.Model.summary.push_back("cloud functions: none (" + joinReasons(reasons) + ")");
}

void decidePluginRoot(Discovery &discovery, const RootConfig &config) {
  if (!config.plugin)
    return;
  const ConfiguredRoot &plugin = *config.plugin;
  if (isDirectory(plugin.absolute)) {
    discovery.Model.pluginRoot = plugin.absolute;
    discovery.Model.summary.push_back("plugin: " + discovery.displayDir(plugin.absolute) + " (" +
                                      plugin.label + ")");
    return;
  }
  discovery.Model.summary.push_back("plugin: none (" + plugin.key + " " +
                                    discovery.rootRelativeDir(plugin.absolute) +
                                    " does not exist)");
}

} // namespace

void decideRoots(Discovery &discovery) {
  RootConfig config = readRootConfig(discovery);
  decideClientRoot(discovery, config);
  decideCloudRoot(discovery, config);
  decidePluginRoot(discovery, config);
}

} // namespace mpauth::project_detail
