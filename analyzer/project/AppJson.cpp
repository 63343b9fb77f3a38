// app.json and the client entry files (SPEC 2, entry points).
//
// - app.json is read from the client root (the project root when there is none). Taro and
//   uni-app generate it into their build output, which is not read: their sources keep the same
//   facts in code (app.config.ts) or in pages.json, so such projects simply have no pages here.
// - `pages` are strings; `subpackages` (or the older spelling `subPackages`) are objects with a
//   string `root`, string `pages`, a boolean `independent` and a string `entry` (a script of the
//   subpackage that runs before its pages: an independent subpackage's app.js). A value of the
//   wrong shape is a bad-config warning and is left out; the rest of the file still counts.
// - A page "pages/index/index" is the script beside its .wxml: the first of .js .ts .jsx .tsx
//   .vue that the file walk listed.
// - Entry files sit directly in the client root: app.js/app.ts (Taro also .jsx/.tsx), and for
//   uni-app App.vue with main.js/main.ts beside it.
#include "analyzer/project/Discovery.h"

#include "llvm/Support/Path.h"

#include <algorithm>

namespace mpauth {

using namespace project_detail;

namespace {

constexpr llvm::StringLiteral PageExtensions[] = {".js", ".ts", ".jsx", ".tsx", ".vue"};
constexpr llvm::StringLiteral AppEntries[] = {"app.js", "app.ts", "app.jsx", "app.tsx"};
constexpr llvm::StringLiteral UniAppMains[] = {"main.js", "main.ts"};

std::string cleanRoot(llvm::StringRef root) {
  std::string text = root.trim().str();
  std::replace(text.begin(), text.end(), '\\', '/');
  llvm::StringRef r(text);
  while (r.consume_front("./") || r.consume_front("/")) {
  }
  while (r.consume_back("/")) {
  }
  return r.str();
}

std::optional<size_t> fileAt(const ProjectModel &model, const std::string &absolute) {
  auto found = model.indexByPath.find(absolute);
  if (found == model.indexByPath.end())
    return std::nullopt;
  return found->second;
}

std::optional<size_t> pageScript(const ProjectModel &model, llvm::StringRef dir,
                                 llvm::StringRef page) {
  std::string base = joinPath(dir, cleanRoot(page));
  if (!isWithin(base, dir))
    return std::nullopt;
  for (llvm::StringRef extension : PageExtensions)
    if (auto index = fileAt(model, base + extension.str()))
      return index;
  return std::nullopt;
}

// The strings of `key` (an array of strings); anything else there is bad-config.
std::vector<std::string> stringArray(Discovery &discovery, const llvm::json::Object &object,
                                     llvm::StringRef key, const std::string &where,
                                     const std::string &file) {
  std::vector<std::string> out;
  const llvm::json::Value *value = object.get(key);
  if (!value)
    return out;
  const llvm::json::Array *array = value->getAsArray();
  if (!array) {
    discovery.badConfig(file, "\"" + where + key + "\" should be an array, found " +
                                  jsonKindName(*value));
    return out;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    if (auto text = (*array)[i].getAsString())
      out.push_back(text->str());
    else
      discovery.badConfig(file, "\"" + where + key + "[" + std::to_string(i) +
                                    "]\" should be a string, found " + jsonKindName((*array)[i]));
  }
  return out;
}

void readSubpackages(Discovery &discovery, const llvm::json::Object &app, llvm::StringRef clientDir,
                     const std::string &file) {
  MiniProgramApp &out = discovery.Model.app;
  for (llvm::StringRef key : {"subpackages", "subPackages"}) {
    const llvm::json::Value *value = app.get(key);
    if (!value)
      continue;
    const llvm::json::Array *array = value->getAsArray();
    if (!array) {
      discovery.badConfig(file,
                          "\"" + key + "\" should be an array, found " + jsonKindName(*value));
      continue;
    }
    for (size_t i = 0; i < array->size(); ++i) {
      std::string where = (key + "[" + llvm::Twine(i) + "].").str();
      const llvm::json::Object *object = (*array)[i].getAsObject();
      if (!object) {
        discovery.badConfig(file, "\"" + where.substr(0, where.size() - 1) +
                                      "\" should be an object, found " + jsonKindName((*array)[i]));
        continue;
      }
      std::string root;
      if (auto text = object->getString("root"))
        root = cleanRoot(*text);
      if (root.empty()) {
        discovery.badConfig(file, "\"" + where + "root\" should be a non-empty string");
        continue;
      }
      MiniProgramSubpackage package;
      package.root = std::move(root);
      package.absoluteRoot = joinPath(clientDir, package.root);
      package.pages = stringArray(discovery, *object, "pages", where, file);
      if (const llvm::json::Value *independent = object->get("independent")) {
        if (auto flag = independent->getAsBoolean())
          package.independent = *flag;
        else
          discovery.badConfig(file, "\"" + where + "independent\" should be a boolean, found " +
                                        jsonKindName(*independent));
      }
      for (const std::string &page : package.pages)
        if (auto index = pageScript(discovery.Model, package.absoluteRoot, page))
          package.pageFiles.push_back(*index);
      if (const llvm::json::Value *entryValue = object->get("entry")) {
        if (auto text = entryValue->getAsString()) {
          package.entry = text->str();
          std::string script = joinPath(package.absoluteRoot, cleanRoot(*text));
          if (isWithin(script, package.absoluteRoot))
            package.entryFile = fileAt(discovery.Model, script);
        } else {
          discovery.badConfig(file, "\"" + where + "entry\" should be a string, found " +
                                        jsonKindName(*entryValue));
        }
      }
      out.subpackages.push_back(std::move(package));
    }
  }
}

} // namespace

bool MiniProgramApp::isEntry(size_t file) const {
  return std::find(entryFiles.begin(), entryFiles.end(), file) != entryFiles.end();
}

bool MiniProgramApp::isPage(size_t file) const {
  if (std::find(pageFiles.begin(), pageFiles.end(), file) != pageFiles.end())
    return true;
  return std::any_of(subpackages.begin(), subpackages.end(), [&](const MiniProgramSubpackage &s) {
    return std::find(s.pageFiles.begin(), s.pageFiles.end(), file) != s.pageFiles.end();
  });
}

const MiniProgramSubpackage *MiniProgramApp::subpackageWithEntry(size_t file) const {
  for (const MiniProgramSubpackage &package : subpackages)
    if (package.entryFile == file)
      return &package;
  return nullptr;
}

const MiniProgramSubpackage *MiniProgramApp::subpackageOf(llvm::StringRef absolutePath) const {
  for (const MiniProgramSubpackage &package : subpackages)
    if (isWithin(absolutePath, package.absoluteRoot))
      return &package;
  return nullptr;
}

namespace project_detail {

void readMiniProgramApp(Discovery &discovery) {
  ProjectModel &model = discovery.Model;
  MiniProgramApp &app = model.app;
  std::string clientDir = model.miniprogramRoot.empty() ? model.root : model.miniprogramRoot;

  for (llvm::StringRef name : AppEntries)
    if (auto index = fileAt(model, joinPath(clientDir, name)))
      app.entryFiles.push_back(*index);
  if (auto appVue = fileAt(model, joinPath(clientDir, "App.vue"))) {
    app.entryFiles.push_back(*appVue);
    for (llvm::StringRef name : UniAppMains)
      if (auto index = fileAt(model, joinPath(clientDir, name)))
        app.entryFiles.push_back(*index);
  }

  std::string file = joinPath(clientDir, "app.json");
  const llvm::json::Object *json = discovery.readJsonObject(file);
  if (!json)
    return;
  app.appJson = file;
  app.pages = stringArray(discovery, *json, "pages", "", file);
  for (const std::string &page : app.pages)
    if (auto index = pageScript(model, clientDir, page))
      app.pageFiles.push_back(*index);
  readSubpackages(discovery, *json, clientDir, file);
}

} // namespace project_detail
} // namespace mpauth
