// Roots: configured, overridden, broken, inferred, and build output replaced by its sources.
#include "ProjectTestSupport.h"

#include <gmock/gmock.h>

namespace mpauth::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char *const FunctionPackage = R"({"name":"login","dependencies":{"wx-server-sdk":"~2.6.3"}})";

TEST(ProjectRoots, ReadsProjectConfig) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "./mp/", "cloudfunctionRoot": "cf/",
                              "pluginRoot": "plugin"})"},
      {"mp/app.js", "App({})"},
      {"cf/login/index.js", "exports.main = async () => 1"},
      {"plugin/index.js", "module.exports = {}"},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.root, project.path());
  EXPECT_EQ(model.miniprogramRoot, project.path("mp"));
  EXPECT_EQ(model.cloudfunctionRoot, project.path("cf"));
  EXPECT_EQ(model.pluginRoot, project.path("plugin"));
  EXPECT_EQ(summaryLine(model, "client: "), "client: mp/ (project.config.json miniprogramRoot)");
  EXPECT_EQ(summaryLine(model, "cloud functions: "),
            "cloud functions: cf/ (project.config.json cloudfunctionRoot)");
  EXPECT_EQ(summaryLine(model, "plugin: "), "plugin: plugin/ (project.config.json pluginRoot)");
  EXPECT_EQ(summaryLine(model, "project root: "), "project root: ./ (nearest project.config.json)");
  EXPECT_TRUE(model.notifications.empty());
}

TEST(ProjectRoots, PrivateConfigOverridesKeys) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "mp/", "cloudfunctionRoot": "cf/"})"},
      {"project.private.config.json", R"({"cloudfunctionRoot": "private-cf/"})"},
      {"mp/app.js", "App({})"},
      {"cf/a/index.js", ""},
      {"private-cf/b/index.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.miniprogramRoot, project.path("mp"));
  EXPECT_EQ(model.cloudfunctionRoot, project.path("private-cf"));
  EXPECT_EQ(summaryLine(model, "cloud functions: "),
            "cloud functions: private-cf/ (project.private.config.json cloudfunctionRoot)");
  ASSERT_EQ(model.functions.size(), 1u);
  EXPECT_EQ(model.functions[0].name, "b");
}

TEST(ProjectRoots, CloudbasercFunctionRoot) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"cloudbaserc.json", R"({"envId": "{{env.ENV_ID}}", "functionRoot": "./tcb/functions"})"},
      {"miniprogram/app.js", "App({})"},
      {"tcb/functions/hello/index.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.cloudfunctionRoot, project.path("tcb/functions"));
  EXPECT_EQ(summaryLine(model, "cloud functions: "),
            "cloud functions: tcb/functions/ (cloudbaserc.json functionRoot)");
}

TEST(ProjectRoots, MissingConfiguredCloudRootFallsBackToCloudbaserc) {
  TempProject project({
      {"project.config.json", R"({"cloudfunctionRoot": "cloudfunctions/"})"},
      {"cloudbaserc.json", R"({"functionRoot": "functions"})"},
      {"app.json", "{}"},
      {"functions/hello/index.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.cloudfunctionRoot, project.path("functions"));
  EXPECT_EQ(summaryLine(model, "cloud functions: "),
            "cloud functions: functions/ (cloudfunctionRoot cloudfunctions/ does not exist; "
            "cloudbaserc.json functionRoot)");
  // No miniprogramRoot: the developer tools use the folder holding app.json.
  EXPECT_EQ(model.miniprogramRoot, project.path());
  EXPECT_EQ(summaryLine(model, "client: "),
            "client: ./ (no miniprogramRoot configured; app.json is at the project root)");
}

TEST(ProjectRoots, BrokenProjectConfigIsANotification) {
  TempProject project({
      {"project.config.json", "{\n  \"miniprogramRoot\": \"mp/\"\n  \"appid\": \"wx1\"\n}"},
      {"miniprogram/app.js", "App({})"},
  });
  ProjectModel model = discoverProject(project);
  auto bad = notificationsWithId(model, "bad-config");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0]->level, Severity::Warning);
  EXPECT_EQ(bad[0]->path, "project.config.json");
  EXPECT_THAT(bad[0]->message, HasSubstr("project.config.json"));
  EXPECT_THAT(bad[0]->message, HasSubstr("invalid JSON at line 3"));
  EXPECT_EQ(bad[0]->line, 3u);
  // Discovery went on as if there were no configuration.
  EXPECT_EQ(model.root, project.path());
  EXPECT_EQ(model.miniprogramRoot, project.path("miniprogram"));
  EXPECT_EQ(displayPaths(model), std::vector<std::string>{"miniprogram/app.js"});
}

TEST(ProjectRoots, WrongTypeKeyIsANotification) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": 42, "cloudfunctionRoot": "cloudfunctions/"})"},
      {"miniprogram/app.js", "App({})"},
      {"cloudfunctions/login/index.js", ""},
  });
  ProjectModel model = discoverProject(project);
  auto bad = notificationsWithId(model, "bad-config");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0]->message, HasSubstr("\"miniprogramRoot\" should be a string, found a number"));
  EXPECT_EQ(model.miniprogramRoot, project.path("miniprogram"));
  EXPECT_EQ(model.cloudfunctionRoot, project.path("cloudfunctions"));
}

TEST(ProjectRoots, AcceptsCommentsAndTrailingCommas) {
  TempProject project({
      {"project.config.json", R"(// generated by the developer tools
{
  /* the mini program */
  "miniprogramRoot": "src/mp/", // sources
  "description": "see http://example.com/* not a comment */",
  "cloudfunctionRoot": "cloud/fns/",
  "setting": { "urlCheck": true, },
  "packOptions": { "ignore": [1, 2,], },
})"},
      {"src/mp/app.js", "App({})"},
      {"cloud/fns/login/index.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_TRUE(model.notifications.empty()) << model.notifications[0].message;
  EXPECT_EQ(model.miniprogramRoot, project.path("src/mp"));
  EXPECT_EQ(model.cloudfunctionRoot, project.path("cloud/fns"));
}

TEST(ProjectRoots, InfersRootsWithoutConfig) {
  TempProject project({
      {"miniprogram/app.js", "App({})"},
      {"cloudfunctions/login/index.js", ""},
      {"cloudfunctions/login/package.json", FunctionPackage},
      {"cloudfunctions/common/util.js", ""}, // no entry: shared code, not a function
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.miniprogramRoot, project.path("miniprogram"));
  EXPECT_EQ(model.cloudfunctionRoot, project.path("cloudfunctions"));
  EXPECT_EQ(summaryLine(model, "client: "),
            "client: miniprogram/ (no miniprogramRoot configured; found miniprogram/)");
  EXPECT_EQ(summaryLine(model, "cloud functions: "),
            "cloud functions: cloudfunctions/ (no cloudfunctionRoot configured; inferred: 1 "
            "folder has an entry file and a package.json that depends on wx-server-sdk)");
  EXPECT_EQ(summaryLine(model, "project root: "),
            "project root: ./ (no project.config.json above the target)");
  ASSERT_EQ(model.functions.size(), 1u);
  EXPECT_EQ(model.functions[0].name, "login");
}

TEST(ProjectRoots, InfersCloudFunctionsFolderOnlyWithServerSdk) {
  // functions/ of some other platform: entries, but no server SDK dependency.
  TempProject project({
      {"client/app.js", "App({})"},
      {"functions/api/index.js", ""},
      {"functions/api/package.json", R"({"dependencies": {"firebase-functions": "^4.0.0"}})"},
      {"cloud/functions/pay/index.js", ""},
      {"cloud/functions/pay/package.json", FunctionPackage},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.miniprogramRoot, project.path("client"));
  EXPECT_EQ(model.cloudfunctionRoot, project.path("cloud/functions"));
}

TEST(ProjectRoots, NoRootsAtAll) {
  TempProject project({FileSpec{"index.js", "console.log(1)"}});
  ProjectModel model = discoverProject(project);
  EXPECT_TRUE(model.miniprogramRoot.empty());
  EXPECT_TRUE(model.cloudfunctionRoot.empty());
  EXPECT_THAT(summaryLine(model, "client: "), HasSubstr("client: none (no miniprogramRoot"));
  EXPECT_THAT(summaryLine(model, "cloud functions: "),
              HasSubstr("cloud functions: none (no cloudfunctionRoot configured"));
  EXPECT_TRUE(summaryLine(model, "plugin: ").empty());
}

TEST(ProjectRoots, TaroDistFallsBackToSources) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "client/dist/",
                              "cloudfunctionRoot": "cloud/functions/"})"},
      {"client/package.json", R"({"dependencies": {"@tarojs/taro": "3.6.0"}})"},
      {"client/src/app.ts", "Taro.cloud.init()"},
      {"client/src/pages/index/index.tsx", "export default () => null"},
      {"client/dist/app.js", "compiled"},
      {"client/dist/vendors.js", "compiled"},
      {"cloud/functions/login/index.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.miniprogramRoot, project.path("client/src"));
  EXPECT_EQ(summaryLine(model, "client: "),
            "client: client/src/ (miniprogramRoot client/dist/ is build output; using Taro "
            "sources)");
  // The build output is not analyzed next to its sources.
  EXPECT_THAT(displayPaths(model),
              ElementsAre("client/src/app.ts", "client/src/pages/index/index.tsx",
                          "cloud/functions/login/index.js"));
}

TEST(ProjectRoots, TaroDistWithoutBuildStillUsesSources) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "dist/"})"},
      {"package.json", R"({"devDependencies": {"@tarojs/cli": "3.6.0"}})"},
      {"src/app.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.miniprogramRoot, project.path("src"));
  EXPECT_EQ(summaryLine(model, "client: "),
            "client: src/ (miniprogramRoot dist/ is build output; using Taro sources)");
}

TEST(ProjectRoots, UniAppBuildOutputFallsBackToSources) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "unpackage/dist/dev/mp-weixin/"})"},
      {"package.json", R"({"dependencies": {"@dcloudio/uni-app": "2.0.2"}})"},
      {"src/App.vue", "<script>export default {}</script>"},
      {"src/pages.json", "{}"},
      {"unpackage/dist/dev/mp-weixin/app.js", "compiled"},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.miniprogramRoot, project.path("src"));
  EXPECT_EQ(summaryLine(model, "client: "),
            "client: src/ (miniprogramRoot unpackage/dist/dev/mp-weixin/ is build output; using "
            "uni-app sources)");
  EXPECT_THAT(displayPaths(model), ElementsAre("src/App.vue"));
}

TEST(ProjectRoots, InfersTaroSourcesWithoutConfig) {
  TempProject project({
      {"package.json", R"({"dependencies": {"@tarojs/taro": "3.6.0"}})"},
      {"src/app.config.ts", "export default {}"},
      {"src/app.ts", ""},
      {"dist/app.js", "compiled"},
      {"config/index.js", "module.exports = {}"},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.miniprogramRoot, project.path("src"));
  EXPECT_EQ(summaryLine(model, "client: "),
            "client: src/ (no miniprogramRoot configured; using Taro sources)");
  EXPECT_THAT(displayPaths(model),
              ElementsAre("config/index.js", "src/app.config.ts", "src/app.ts"));
  EXPECT_EQ(fileNamed(model, "config/index.js")->role, FileRole::Other);
}

TEST(ProjectRoots, TypeScriptCloudDistFallsBackToSources) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/",
                              "cloudfunctionRoot": "cloud/dist/"})"},
      {"miniprogram/app.ts", ""},
      {"cloud/package.json", R"({"dependencies": {"wx-server-sdk": "~2.6.3"}})"},
      {"cloud/src/functions/login/index.ts", ""},
      {"cloud/src/functions/pay/index.ts", ""},
      {"cloud/dist/login/index.js", "compiled"},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.cloudfunctionRoot, project.path("cloud/src/functions"));
  EXPECT_EQ(summaryLine(model, "cloud functions: "),
            "cloud functions: cloud/src/functions/ (cloudfunctionRoot cloud/dist/ is build "
            "output; using the function sources)");
  ASSERT_EQ(model.functions.size(), 2u);
  EXPECT_EQ(model.functions[0].name, "login");
  EXPECT_EQ(model.functions[0].entry, project.path("cloud/src/functions/login/index.ts"));
  // One package.json for all functions, above them.
  EXPECT_EQ(model.functions[0].wxServerSdk.kind, SdkVersionInfo::Kind::BelowFour);
  EXPECT_EQ(model.functions[0].wxServerSdk.source, "cloud/package.json");
  EXPECT_EQ(fileNamed(model, "cloud/dist/login/index.js"), nullptr);
}

TEST(ProjectRoots, MissingPluginRootIsSaid) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/", "pluginRoot": "plugin/"})"},
      {"miniprogram/app.js", ""},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_TRUE(model.pluginRoot.empty());
  EXPECT_EQ(summaryLine(model, "plugin: "), "plugin: none (pluginRoot plugin/ does not exist)");
}

TEST(ProjectRoots, RootIsFoundAboveASubfolderTarget) {
  TempProject project({
      {"project.config.json", R"({"miniprogramRoot": "miniprogram/"})"},
      {"miniprogram/app.js", ""},
      {"miniprogram/pages/index/index.js", ""},
  });
  ProjectModel model = discoverProject(project, {"miniprogram/pages"});
  EXPECT_EQ(model.root, project.path());
  // The whole project is modelled; only the target's files are in scope.
  ASSERT_EQ(model.files.size(), 2u);
  EXPECT_FALSE(fileNamed(model, "miniprogram/app.js")->inTarget);
  EXPECT_TRUE(fileNamed(model, "miniprogram/pages/index/index.js")->inTarget);
}

} // namespace
} // namespace mpauth::testing
