// Builds small project trees in a temporary folder for the project layer's tests.
#pragma once

#include "analyzer/project/Project.h"
#include "support/TempDir.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace mpauth::testing {

struct FileSpec {
  std::string path; // relative, '/' separators
  std::string content;
};

// A temporary folder holding the given files; removed when the object goes.
class TempProject : public TempDir {
public:
  explicit TempProject(const std::vector<FileSpec> &files) : TempDir("mpauth-project-test") {
    for (const FileSpec &file : files)
      write(file.path, file.content);
  }

  void makeDirectory(const std::string &relative) const {
    llvm::sys::fs::create_directories(path(relative));
  }
};

// Discovers the project with the given targets (relative to the project; none means the
// project folder itself). srcRoot defaults to the project folder so that display paths do not
// depend on where the test runs.
inline ProjectModel discoverProject(const TempProject &project,
                                    std::vector<std::string> targets = {},
                                    DiscoveryOptions options = {}) {
  if (targets.empty())
    targets.push_back("");
  for (const std::string &target : targets)
    options.targets.push_back(project.path(target));
  if (options.srcRoot.empty())
    options.srcRoot = project.path();
  auto model = ProjectModel::discover(options);
  if (!model) {
    ADD_FAILURE() << llvm::toString(model.takeError());
    return {};
  }
  return std::move(*model);
}

inline std::vector<std::string> displayPaths(const ProjectModel &model) {
  std::vector<std::string> paths;
  for (const ProjectFile &file : model.files)
    paths.push_back(file.displayPath);
  return paths;
}

inline const ProjectFile *fileNamed(const ProjectModel &model, const std::string &displayPath) {
  for (const ProjectFile &file : model.files)
    if (file.displayPath == displayPath)
      return &file;
  return nullptr;
}

inline size_t fileIndex(const ProjectModel &model, const std::string &displayPath) {
  for (size_t i = 0; i < model.files.size(); ++i)
    if (model.files[i].displayPath == displayPath)
      return i;
  ADD_FAILURE() << "no file " << displayPath;
  return model.files.size();
}

inline const CloudFunction *functionNamed(const ProjectModel &model, const std::string &name) {
  for (const CloudFunction &function : model.functions)
    if (function.name == name)
      return &function;
  return nullptr;
}

inline std::vector<const Notification *> notificationsWithId(const ProjectModel &model,
                                                             const std::string &id) {
  std::vector<const Notification *> found;
  for (const Notification &notification : model.notifications)
    if (notification.id == id)
      found.push_back(&notification);
  return found;
}

// The summary line that starts with `prefix` ("client: "), or "" when there is none.
inline std::string summaryLine(const ProjectModel &model, const std::string &prefix) {
  for (const std::string &line : model.summary)
    if (line.rfind(prefix, 0) == 0)
      return line;
  return {};
}

inline std::string packageJsonWithSdk(const std::string &spec) {
  return "{\n  \"name\": \"fn\",\n  \"main\": \"index.js\",\n  \"dependencies\": {\n"
         "    \"wx-server-sdk\": \"" +
         spec + "\"\n  }\n}\n";
}

} // namespace mpauth::testing
