// Files: what is listed, what is skipped and said, roles, targets.
#include "ProjectTestSupport.h"

#include <gmock/gmock.h>

namespace mpauth::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ProjectFiles, KeepsSourcesAndSkipsTheDefaults) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"miniprogram/app.js", ""},
      {"miniprogram/a.mjs", ""},
      {"miniprogram/b.cjs", ""},
      {"miniprogram/c.ts", ""},
      {"miniprogram/d.mts", ""},
      {"miniprogram/e.cts", ""},
      {"miniprogram/f.tsx", ""},
      {"miniprogram/g.jsx", ""},
      {"miniprogram/h.vue", ""},
      {"miniprogram/app.json", "{}"},
      {"miniprogram/index.wxml", "<view/>"},
      {"miniprogram/lib/vendor.min.js", ""},
      {"miniprogram/typings/wx.d.ts", ""},
      {"miniprogram/miniprogram_npm/pkg/index.js", ""},
      {"node_modules/pkg/index.js", ""},
      {"miniprogram/.cache/x.js", ""},
      {".git/hooks/pre-commit.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_THAT(displayPaths(model),
              ElementsAre("miniprogram/a.mjs", "miniprogram/app.js", "miniprogram/b.cjs",
                          "miniprogram/c.ts", "miniprogram/d.mts", "miniprogram/e.cts",
                          "miniprogram/f.tsx", "miniprogram/g.jsx", "miniprogram/h.vue"));
  EXPECT_TRUE(model.notifications.empty());
  for (size_t i = 0; i < model.files.size(); ++i) {
    EXPECT_EQ(model.indexByPath.lookup(model.files[i].absolutePath), i);
    EXPECT_FALSE(model.files[i].explicitlyNamed);
    EXPECT_TRUE(model.files[i].inTarget);
  }
  EXPECT_EQ(model.files[1].absolutePath, project.path("miniprogram/app.js"));
}

TEST(ProjectFiles, OversizeFileIsSkippedWithANote) {
  TempProject project({
      {"miniprogram/app.js", "App({})"},
      {"miniprogram/big.js", std::string(200, 'x')},
  });
  DiscoveryOptions options;
  options.maxFileBytes = 100;
  ProjectModel model = discoverProject(project, {}, options);
  EXPECT_THAT(displayPaths(model), ElementsAre("miniprogram/app.js"));
  auto skipped = notificationsWithId(model, "skipped-file");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0]->level, Severity::Note);
  EXPECT_EQ(skipped[0]->path, "miniprogram/big.js");
  EXPECT_THAT(skipped[0]->message, HasSubstr("larger than 100 bytes (200 bytes)"));
}

TEST(ProjectFiles, ExplicitOversizeFileIsAWarning) {
  TempProject project({
      {"miniprogram/app.js", "App({})"},
      {"miniprogram/big.js", std::string(200, 'x')},
  });
  DiscoveryOptions options;
  options.maxFileBytes = 100;
  ProjectModel model = discoverProject(project, {"miniprogram/big.js"}, options);
  EXPECT_THAT(displayPaths(model), ElementsAre("miniprogram/app.js"));
  auto skipped = notificationsWithId(model, "skipped-file");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0]->level, Severity::Warning);
  EXPECT_EQ(skipped[0]->path, "miniprogram/big.js");
  EXPECT_THAT(skipped[0]->message, HasSubstr("although it was named"));
}

TEST(ProjectFiles, IgnoreGlobs) {
  TempProject project({
      {"miniprogram/app.js", ""},
      {"miniprogram/generated/api.js", ""},
      {"miniprogram/pages/index.test.js", ""},
      {"miniprogram/pages/index.js", ""},
      {"mock/data.js", ""},
  });
  DiscoveryOptions options;
  options.ignoreGlobs = {"miniprogram/generated/*", "*.test.js", "/mock/"};
  ProjectModel model = discoverProject(project, {}, options);
  EXPECT_THAT(displayPaths(model), ElementsAre("miniprogram/app.js", "miniprogram/pages/index.js"));
}

TEST(ProjectFiles, InvalidIgnoreGlobIsANotification) {
  TempProject project({FileSpec{"miniprogram/app.js", ""}});
  DiscoveryOptions options;
  options.ignoreGlobs = {"[z-a]"};
  ProjectModel model = discoverProject(project, {}, options);
  EXPECT_EQ(model.files.size(), 1u);
  auto bad = notificationsWithId(model, "bad-config");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0]->message, HasSubstr("[z-a]"));
}

TEST(ProjectFiles, ExplicitFileTarget) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"miniprogram/app.js", ""},
      {"miniprogram/pages/index/index.js", ""},
  });
  ProjectModel model = discoverProject(project, {"miniprogram/pages/index/index.js"});
  EXPECT_EQ(model.root, project.path());
  ASSERT_EQ(model.files.size(), 2u);
  const ProjectFile *named = fileNamed(model, "miniprogram/pages/index/index.js");
  ASSERT_NE(named, nullptr);
  EXPECT_TRUE(named->explicitlyNamed);
  EXPECT_TRUE(named->inTarget);
  EXPECT_EQ(named->role, FileRole::Client);
  const ProjectFile *other = fileNamed(model, "miniprogram/app.js");
  EXPECT_FALSE(other->explicitlyNamed);
  EXPECT_FALSE(other->inTarget);
}

TEST(ProjectFiles, ExplicitFileInSkippedFolderIsAWarning) {
  TempProject project({
      {"project.config.json", "{}"},
      {"miniprogram/app.js", ""},
      {"node_modules/lib/index.js", ""},
      {"miniprogram/vendor.min.js", ""},
  });
  ProjectModel model =
      discoverProject(project, {"node_modules/lib/index.js", "miniprogram/vendor.min.js"});
  EXPECT_THAT(displayPaths(model), ElementsAre("miniprogram/app.js"));
  auto skipped = notificationsWithId(model, "skipped-file");
  ASSERT_EQ(skipped.size(), 2u);
  EXPECT_EQ(skipped[0]->path, "node_modules/lib/index.js");
  EXPECT_THAT(skipped[0]->message, HasSubstr("node_modules/"));
  EXPECT_EQ(skipped[0]->level, Severity::Warning);
  EXPECT_EQ(skipped[1]->path, "miniprogram/vendor.min.js");
  EXPECT_THAT(skipped[1]->message, HasSubstr("minified"));
}

TEST(ProjectFiles, NamedFolderThatIsSkippedIsAWarning) {
  TempProject project({
      {"project.config.json", "{}"},
      {"miniprogram/app.js", ""},
      {"miniprogram/miniprogram_npm/lib/index.js", ""},
  });
  ProjectModel model = discoverProject(project, {"miniprogram/miniprogram_npm/lib"});
  EXPECT_THAT(displayPaths(model), ElementsAre("miniprogram/app.js"));
  auto skipped = notificationsWithId(model, "skipped-file");
  ASSERT_EQ(skipped.size(), 1u);
  EXPECT_EQ(skipped[0]->path, "miniprogram/miniprogram_npm/lib");
  EXPECT_THAT(skipped[0]->message, HasSubstr("miniprogram_npm/"));
}

TEST(ProjectFiles, MissingTargetIsAnError) {
  TempProject project({FileSpec{"app.js", ""}});
  DiscoveryOptions options;
  options.targets = {project.path("does-not-exist.js")};
  auto model = ProjectModel::discover(options);
  ASSERT_FALSE(model);
  std::string message = llvm::toString(model.takeError());
  EXPECT_THAT(message, HasSubstr("does-not-exist.js"));
  EXPECT_THAT(message, HasSubstr("does not exist"));
}

TEST(ProjectFiles, RolesByLocation) {
  TempProject project({
      {"project.config.json",
       R"({"miniprogramRoot": "miniprogram/", "cloudfunctionRoot": "cloudfunctions/",
           "pluginRoot": "plugin/"})"},
      {"miniprogram/app.js", ""},
      {"cloudfunctions/login/index.js", ""},
      {"cloudfunctions/login/lib/db.js", ""},
      {"cloudfunctions/shared/util.js", ""},
      {"plugin/index.js", ""},
      {"server/app.js", ""},
      {"tools/gen.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(fileNamed(model, "miniprogram/app.js")->role, FileRole::Client);
  const ProjectFile *entry = fileNamed(model, "cloudfunctions/login/index.js");
  EXPECT_EQ(entry->role, FileRole::Cloud);
  ASSERT_EQ(model.functions.size(), 1u);
  EXPECT_EQ(entry->cloudFunction, 0);
  size_t lib = fileIndex(model, "cloudfunctions/login/lib/db.js");
  EXPECT_EQ(model.files[lib].role, FileRole::Cloud);
  ASSERT_NE(model.functionOf(lib), nullptr);
  EXPECT_EQ(model.functionOf(lib)->name, "login");
  size_t shared = fileIndex(model, "cloudfunctions/shared/util.js");
  EXPECT_EQ(model.files[shared].role, FileRole::Cloud);
  EXPECT_EQ(model.files[shared].cloudFunction, -1);
  EXPECT_EQ(model.functionOf(shared), nullptr);
  EXPECT_EQ(fileNamed(model, "plugin/index.js")->role, FileRole::Client);
  EXPECT_EQ(fileNamed(model, "server/app.js")->role, FileRole::Other);
  EXPECT_EQ(fileNamed(model, "tools/gen.js")->role, FileRole::Other);
  EXPECT_STREQ(roleName(FileRole::Cloud), "cloud");
  EXPECT_STREQ(roleName(FileRole::Client), "client");
  EXPECT_STREQ(roleName(FileRole::Other), "other");
}

TEST(ProjectFiles, RolesWithoutClientRoot) {
  TempProject project({
      {"pages/index.js", ""},
      {"utils/util.js", ""},
      {"server/index.js", ""},
      {"backend/api.js", ""},
      {"admin/panel.js", ""},
      {"scripts/deploy.js", ""},
      {"babel.config.js", ""},
      {"cloudfunctions/login/index.js", ""},
      {"cloudfunctions/login/package.json", packageJsonWithSdk("latest")},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_TRUE(model.miniprogramRoot.empty());
  EXPECT_EQ(fileNamed(model, "pages/index.js")->role, FileRole::Client);
  EXPECT_EQ(fileNamed(model, "utils/util.js")->role, FileRole::Client);
  EXPECT_EQ(fileNamed(model, "server/index.js")->role, FileRole::Other);
  EXPECT_EQ(fileNamed(model, "backend/api.js")->role, FileRole::Other);
  EXPECT_EQ(fileNamed(model, "admin/panel.js")->role, FileRole::Other);
  EXPECT_EQ(fileNamed(model, "scripts/deploy.js")->role, FileRole::Other);
  EXPECT_EQ(fileNamed(model, "babel.config.js")->role, FileRole::Other);
  EXPECT_EQ(fileNamed(model, "cloudfunctions/login/index.js")->role, FileRole::Cloud);
}

TEST(ProjectFiles, DirectorySymlinksAreNotFollowed) {
  TempProject project({
      {"miniprogram/app.js", ""},
      {"shared/util.js", ""},
  });
  std::error_code loop =
      llvm::sys::fs::create_link(project.path("miniprogram"), project.path("miniprogram/loop"));
  std::error_code alias =
      llvm::sys::fs::create_link(project.path("shared/util.js"), project.path("miniprogram/u.js"));
  if (loop || alias)
    GTEST_SKIP() << "symlinks unavailable";
  ProjectModel model = discoverProject(project);
  EXPECT_THAT(displayPaths(model),
              ElementsAre("miniprogram/app.js", "miniprogram/u.js", "shared/util.js"));
}

TEST(ProjectFiles, DisplayPathsAreRelativeToSrcRoot) {
  TempProject project({
      {"repo/mp/project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"repo/mp/miniprogram/app.js", ""},
  });
  DiscoveryOptions options;
  options.srcRoot = project.path("repo");
  ProjectModel model = discoverProject(project, {"repo/mp"}, options);
  EXPECT_EQ(model.root, project.path("repo/mp"));
  EXPECT_EQ(model.srcRoot, project.path("repo"));
  EXPECT_THAT(displayPaths(model), ElementsAre("mp/miniprogram/app.js"));
  EXPECT_EQ(summaryLine(model, "client: "),
            "client: mp/miniprogram/ (project.config.json miniprogramRoot)");
}

TEST(ProjectFiles, SrcRootDefaultsToTheProjectRootOutsideTheCurrentDirectory) {
  TempProject project({FileSpec{"miniprogram/app.js", ""}});
  llvm::SmallString<256> cwd;
  ASSERT_FALSE(llvm::sys::fs::current_path(cwd));
  if (llvm::StringRef(project.path()).startswith(cwd))
    GTEST_SKIP() << "the temporary folder is under the current directory";
  DiscoveryOptions options;
  options.targets = {project.path("miniprogram/app.js")};
  auto model = ProjectModel::discover(options);
  ASSERT_TRUE(static_cast<bool>(model)) << llvm::toString(model.takeError());
  // No project.config.json: the root is the file's folder, and so is srcRoot.
  EXPECT_EQ(model->root, project.path("miniprogram"));
  EXPECT_EQ(model->srcRoot, project.path("miniprogram"));
  ASSERT_EQ(model->files.size(), 1u);
  EXPECT_EQ(model->files[0].displayPath, "app.js");
  EXPECT_TRUE(model->files[0].explicitlyNamed);
}

} // namespace
} // namespace mpauth::testing
