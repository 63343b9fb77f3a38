// app.json and the entry files: pages, subpackages (both spellings), independent ones, the
// entry files of native, Taro and uni-app projects, and broken shapes.
#include "ProjectTestSupport.h"

#include <gmock/gmock.h>

namespace mpauth::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> pathsOf(const ProjectModel &model, const std::vector<size_t> &files) {
  std::vector<std::string> out;
  for (size_t index : files)
    out.push_back(model.files[index].displayPath);
  return out;
}

TEST(AppJson, PagesSubpackagesAndEntry) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"miniprogram/app.json", R"({
        // the developer tools accept comments
        "pages": ["pages/index/index", "pages/me/me", "pages/gone/gone"],
        "subpackages": [
          { "root": "packageA/", "pages": ["list/list"] },
          { "root": "./share", "pages": ["card/card"], "independent": true,
            "entry": "entry.js" },
        ],
      })"},
      {"miniprogram/app.js", "App({})"},
      {"miniprogram/pages/index/index.js", "Page({})"},
      {"miniprogram/pages/me/me.ts", "Page({})"},
      {"miniprogram/packageA/list/list.js", "Page({})"},
      {"miniprogram/share/card/card.js", "Page({})"},
      {"miniprogram/share/util.js", ""},
      {"miniprogram/share/entry.js", "wx.cloud.init()"},
      {"miniprogram/share2/other.js", ""},
  });
  ProjectModel model = discoverProject(project);
  const MiniProgramApp &app = model.app;
  EXPECT_EQ(app.appJson, project.path("miniprogram/app.json"));
  EXPECT_THAT(app.pages, ElementsAre("pages/index/index", "pages/me/me", "pages/gone/gone"));
  EXPECT_THAT(pathsOf(model, app.pageFiles),
              ElementsAre("miniprogram/pages/index/index.js", "miniprogram/pages/me/me.ts"));
  EXPECT_THAT(pathsOf(model, app.entryFiles), ElementsAre("miniprogram/app.js"));
  EXPECT_TRUE(app.isEntry(fileIndex(model, "miniprogram/app.js")));
  EXPECT_FALSE(app.isEntry(fileIndex(model, "miniprogram/pages/index/index.js")));

  ASSERT_EQ(app.subpackages.size(), 2u);
  EXPECT_EQ(app.subpackages[0].root, "packageA");
  EXPECT_FALSE(app.subpackages[0].independent);
  EXPECT_EQ(app.subpackages[1].root, "share");
  EXPECT_EQ(app.subpackages[1].absoluteRoot, project.path("miniprogram/share"));
  EXPECT_TRUE(app.subpackages[1].independent);
  EXPECT_THAT(pathsOf(model, app.subpackages[1].pageFiles),
              ElementsAre("miniprogram/share/card/card.js"));
  EXPECT_EQ(app.subpackages[1].entry, "entry.js");
  ASSERT_TRUE(app.subpackages[1].entryFile.has_value());
  EXPECT_EQ(model.files[*app.subpackages[1].entryFile].displayPath, "miniprogram/share/entry.js");
  EXPECT_EQ(app.subpackageWithEntry(*app.subpackages[1].entryFile), &app.subpackages[1]);
  EXPECT_FALSE(app.subpackages[0].entryFile.has_value());
  EXPECT_EQ(app.subpackageWithEntry(fileIndex(model, "miniprogram/share/util.js")), nullptr);

  EXPECT_TRUE(app.isPage(fileIndex(model, "miniprogram/packageA/list/list.js")));
  EXPECT_TRUE(app.isPage(fileIndex(model, "miniprogram/pages/me/me.ts")));
  EXPECT_FALSE(app.isPage(fileIndex(model, "miniprogram/share/util.js")));

  const MiniProgramSubpackage *share = app.subpackageOf(project.path("miniprogram/share/util.js"));
  ASSERT_NE(share, nullptr);
  EXPECT_EQ(share->root, "share");
  // A sibling folder whose name merely starts with the root is not inside it.
  EXPECT_EQ(app.subpackageOf(project.path("miniprogram/share2/other.js")), nullptr);
  EXPECT_EQ(app.subpackageOf(project.path("miniprogram/pages/index/index.js")), nullptr);
  EXPECT_TRUE(model.notifications.empty());
}

TEST(AppJson, OlderSubPackagesSpelling) {
  TempProject project({
      {"app.json", R"({"pages": ["pages/a/a"],
                      "subPackages": [{"root": "pkg", "pages": ["b/b"], "independent": true}]})"},
      {"app.js", "App({})"},
      {"pages/a/a.js", "Page({})"},
      {"pkg/b/b.js", "Page({})"},
  });
  ProjectModel model = discoverProject(project);
  ASSERT_EQ(model.app.subpackages.size(), 1u);
  EXPECT_TRUE(model.app.subpackages[0].independent);
  EXPECT_THAT(pathsOf(model, model.app.subpackages[0].pageFiles), ElementsAre("pkg/b/b.js"));
  EXPECT_THAT(pathsOf(model, model.app.entryFiles), ElementsAre("app.js"));
}

TEST(AppJson, NoAppJsonStillFindsTheEntry) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"miniprogram/app.ts", "App({})"},
      {"miniprogram/pages/index/index.ts", "Page({})"},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_TRUE(model.app.appJson.empty());
  EXPECT_THAT(model.app.pages, IsEmpty());
  EXPECT_THAT(model.app.subpackages, IsEmpty());
  EXPECT_THAT(pathsOf(model, model.app.entryFiles), ElementsAre("miniprogram/app.ts"));
  EXPECT_TRUE(model.notifications.empty());
}

TEST(AppJson, TaroAndUniAppEntries) {
  TempProject taro({
      {"package.json", R"({"dependencies": {"@tarojs/taro": "3.6.0"}})"},
      {"src/app.config.ts", "export default {}"},
      {"src/app.tsx", "export default function App() {}"},
      {"src/pages/index/index.tsx", ""},
  });
  ProjectModel taroModel = discoverProject(taro);
  EXPECT_THAT(pathsOf(taroModel, taroModel.app.entryFiles), ElementsAre("src/app.tsx"));

  TempProject uni({
      {"package.json", R"({"dependencies": {"@dcloudio/uni-app": "2.0.0"}})"},
      {"src/pages.json", R"({"pages": [{"path": "pages/index/index"}]})"},
      {"src/App.vue", "<script>export default { onLaunch() {} }</script>"},
      {"src/main.js", "import App from './App'"},
      {"src/pages/index/index.vue", ""},
  });
  ProjectModel uniModel = discoverProject(uni);
  EXPECT_THAT(pathsOf(uniModel, uniModel.app.entryFiles),
              ElementsAre("src/App.vue", "src/main.js"));
  EXPECT_TRUE(uniModel.app.appJson.empty());
}

TEST(AppJson, MainJsIsNoEntryWithoutAppVue) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"miniprogram/app.js", "App({})"},
      {"miniprogram/main.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_THAT(pathsOf(model, model.app.entryFiles), ElementsAre("miniprogram/app.js"));
}

TEST(AppJson, BrokenShapesAreReportedAndSkipped) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"miniprogram/app.json", R"({
        "pages": ["pages/a/a", 3],
        "subpackages": [
          "pkg",
          { "pages": ["x/x"] },
          { "root": "ok", "pages": "y/y", "independent": "yes", "entry": 1 }
        ]
      })"},
      {"miniprogram/app.js", "App({})"},
      {"miniprogram/pages/a/a.js", "Page({})"},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_THAT(model.app.pages, ElementsAre("pages/a/a"));
  ASSERT_EQ(model.app.subpackages.size(), 1u);
  EXPECT_EQ(model.app.subpackages[0].root, "ok");
  EXPECT_FALSE(model.app.subpackages[0].independent);
  EXPECT_THAT(model.app.subpackages[0].pages, IsEmpty());

  std::vector<std::string> messages;
  for (const Notification *n : notificationsWithId(model, "bad-config"))
    messages.push_back(n->message);
  EXPECT_THAT(messages,
              ElementsAre(HasSubstr("\"pages[1]\" should be a string, found a number"),
                          HasSubstr("\"subpackages[0]\" should be an object"),
                          HasSubstr("\"subpackages[1].root\" should be a non-empty string"),
                          HasSubstr("\"subpackages[2].pages\" should be an array"),
                          HasSubstr("\"subpackages[2].independent\" should be a boolean"),
                          HasSubstr("\"subpackages[2].entry\" should be a string")));
}

TEST(AppJson, BrokenJsonIsOneNotification) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"miniprogram/app.json", R"({"pages": [)"},
      {"miniprogram/app.js", "App({})"},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_TRUE(model.app.appJson.empty());
  EXPECT_EQ(notificationsWithId(model, "bad-config").size(), 1u);
  EXPECT_THAT(pathsOf(model, model.app.entryFiles), ElementsAre("miniprogram/app.js"));
}

} // namespace
} // namespace mpauth::testing
