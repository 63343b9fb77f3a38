// Cloud functions: entries, the wx-server-sdk version each runs with, config.json.
#include "ProjectTestSupport.h"

#include <gmock/gmock.h>

namespace mpauth::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = SdkVersionInfo::Kind;

const char *const Config = R"({"cloudfunctionRoot": "cloudfunctions/"})";

TEST(CloudFunctions, EntriesFromMainAndDefaults) {
  TempProject project({
      {"project.config.json", Config},
      {"cloudfunctions/byMain/package.json", R"({"main": "lib/handler"})"},
      {"cloudfunctions/byMain/lib/handler.js", ""},
      {"cloudfunctions/byIndexJs/index.js", ""},
      {"cloudfunctions/byIndexTs/index.ts", ""},
      {"cloudfunctions/bySrc/src/index.ts", ""},
      {"cloudfunctions/distMain/package.json", R"({"main": "dist/index.js"})"},
      {"cloudfunctions/distMain/dist/index.js", "compiled"},
      {"cloudfunctions/distMain/src/index.ts", ""},
      {"cloudfunctions/missingMain/package.json", R"({"main": "gone.js"})"},
      {"cloudfunctions/missingMain/index.js", ""},
      {"cloudfunctions/noEntry/util.js", ""},
  });
  ProjectModel model = discoverProject(project);
  std::vector<std::string> names;
  for (const CloudFunction &function : model.functions)
    names.push_back(function.name);
  EXPECT_THAT(names,
              ElementsAre("byIndexJs", "byIndexTs", "byMain", "bySrc", "distMain", "missingMain"));
  auto entryOf = [&](const char *name) { return functionNamed(model, name)->entry; };
  EXPECT_EQ(entryOf("byMain"), project.path("cloudfunctions/byMain/lib/handler.js"));
  EXPECT_EQ(entryOf("byIndexJs"), project.path("cloudfunctions/byIndexJs/index.js"));
  EXPECT_EQ(entryOf("byIndexTs"), project.path("cloudfunctions/byIndexTs/index.ts"));
  EXPECT_EQ(entryOf("bySrc"), project.path("cloudfunctions/bySrc/src/index.ts"));
  EXPECT_EQ(entryOf("distMain"), project.path("cloudfunctions/distMain/src/index.ts"));
  EXPECT_EQ(entryOf("missingMain"), project.path("cloudfunctions/missingMain/index.js"));
  const CloudFunction *byMain = functionNamed(model, "byMain");
  EXPECT_EQ(byMain->dir, project.path("cloudfunctions/byMain"));
  EXPECT_EQ(byMain->displayDir, "cloudfunctions/byMain");
  EXPECT_EQ(byMain->wxServerSdk.kind, Kind::Unknown);
  EXPECT_FALSE(byMain->hasConfigJson);
}

TEST(CloudFunctions, ConfigJson) {
  TempProject project({
      {"project.config.json", Config},
      {"cloudfunctions/notify/index.js", ""},
      {"cloudfunctions/notify/config.json", R"({
        "triggers": [{"name": "daily", "type": "timer", "config": "0 0 2 * * * *"}],
        "permissions": {"openapi": ["subscribeMessage.send", "templateMessage.send"]}
      })"},
      {"cloudfunctions/broken/index.js", ""},
      {"cloudfunctions/broken/config.json", R"({"permissions": {"openapi": "wxacode.get"}})"},
  });
  ProjectModel model = discoverProject(project);
  const CloudFunction *notify = functionNamed(model, "notify");
  ASSERT_NE(notify, nullptr);
  EXPECT_TRUE(notify->hasConfigJson);
  EXPECT_THAT(notify->triggers, ElementsAre("daily"));
  EXPECT_THAT(notify->openapiPermissions,
              ElementsAre("subscribeMessage.send", "templateMessage.send"));
  const CloudFunction *broken = functionNamed(model, "broken");
  EXPECT_TRUE(broken->hasConfigJson);
  EXPECT_TRUE(broken->openapiPermissions.empty());
  auto bad = notificationsWithId(model, "bad-config");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0]->path, "cloudfunctions/broken/config.json");
  EXPECT_THAT(bad[0]->message, HasSubstr("\"permissions.openapi\" should be an array"));
}

struct VersionCase {
  const char *name;
  std::vector<FileSpec> files; // inside cloudfunctions/fn/
  Kind kind;
  SdkVersion version;
  const char *source;
  bool below4;
  bool below111;
};

class CloudFunctionVersion : public ::testing::TestWithParam<VersionCase> {};

TEST_P(CloudFunctionVersion, Tier) {
  const VersionCase &c = GetParam();
  std::vector<FileSpec> files = {{"project.config.json", Config},
                                 {"cloudfunctions/fn/index.js", ""}};
  for (const FileSpec &file : c.files)
    files.push_back({"cloudfunctions/fn/" + file.path, file.content});
  TempProject project(files);
  ProjectModel model = discoverProject(project);
  ASSERT_EQ(model.functions.size(), 1u);
  const SdkVersionInfo &sdk = model.functions[0].wxServerSdk;
  EXPECT_EQ(sdk.kind, c.kind);
  if (c.kind == Kind::Exact || c.kind == Kind::BelowFour) {
    EXPECT_EQ(toString(sdk.version), toString(c.version));
  }
  EXPECT_EQ(sdk.source, c.source);
  EXPECT_EQ(sdk.knownBelow4(), c.below4);
  EXPECT_EQ(sdk.knownBelow111(), c.below111);
}

const char *const Pkg = "cloudfunctions/fn/package.json";
const char *const Lock = "cloudfunctions/fn/package-lock.json";

INSTANTIATE_TEST_SUITE_P(
    Tiers, CloudFunctionVersion,
    ::testing::Values(
        VersionCase{"LockfileV1",
                    {{"package.json", packageJsonWithSdk("^2.0.0")},
                     {"package-lock.json", R"({"lockfileVersion": 1, "dependencies": {
                         "wx-server-sdk": {"version": "2.6.3", "resolved": "x"}}})"}},
                    Kind::Exact,
                    {2, 6, 3},
                    Lock,
                    true,
                    false},
        VersionCase{"LockfileV3",
                    {{"package.json", packageJsonWithSdk("latest")},
                     {"package-lock.json", R"({"lockfileVersion": 3, "packages": {
                         "": {"dependencies": {"wx-server-sdk": "latest"}},
                         "node_modules/wx-server-sdk": {"version": "3.0.1"}}})"}},
                    Kind::Exact,
                    {3, 0, 1},
                    Lock,
                    true,
                    false},
        VersionCase{"LockfileV2New",
                    {{"package.json", packageJsonWithSdk("*")},
                     {"package-lock.json", R"({"lockfileVersion": 2, "packages": {
                         "node_modules/wx-server-sdk": {"version": "4.0.2"}},
                         "dependencies": {"wx-server-sdk": {"version": "4.0.2"}}})"}},
                    Kind::Exact,
                    {4, 0, 2},
                    Lock,
                    false,
                    false},
        VersionCase{"LockfileWithoutSdkFallsBackToPackageJson",
                    {{"package.json", packageJsonWithSdk("~1.0.0")},
                     {"package-lock.json", R"({"lockfileVersion": 2, "packages": {}})"}},
                    Kind::BelowFour,
                    {1, 0, 0},
                    Pkg,
                    true,
                    true},
        VersionCase{"ExactPin",
                    {{"package.json", packageJsonWithSdk("1.0.2")}},
                    Kind::Exact,
                    {1, 0, 2},
                    Pkg,
                    true,
                    true},
        VersionCase{"Caret",
                    {{"package.json", packageJsonWithSdk("^2.6.3")}},
                    Kind::BelowFour,
                    {2, 6, 3},
                    Pkg,
                    true,
                    false},
        VersionCase{"Tilde",
                    {{"package.json", packageJsonWithSdk("~3")}},
                    Kind::BelowFour,
                    {3, 0, 0},
                    Pkg,
                    true,
                    false},
        VersionCase{"XRange",
                    {{"package.json", packageJsonWithSdk("2.x")}},
                    Kind::BelowFour,
                    {2, 0, 0},
                    Pkg,
                    true,
                    false},
        VersionCase{"Latest",
                    {{"package.json", packageJsonWithSdk("latest")}},
                    Kind::Latest,
                    {},
                    Pkg,
                    false,
                    false},
        VersionCase{"Star",
                    {{"package.json", packageJsonWithSdk("*")}},
                    Kind::Latest,
                    {},
                    Pkg,
                    false,
                    false},
        VersionCase{"OpenRange",
                    {{"package.json", packageJsonWithSdk(">=3")}},
                    Kind::Latest,
                    {},
                    Pkg,
                    false,
                    false},
        VersionCase{"DevDependency",
                    {{"package.json", R"({"devDependencies": {"wx-server-sdk": "<4.0.0"}})"}},
                    Kind::BelowFour,
                    {0, 0, 0},
                    Pkg,
                    true,
                    false},
        VersionCase{"Unparsable",
                    {{"package.json", packageJsonWithSdk("github:TencentCloudBase/x")}},
                    Kind::Unknown,
                    {},
                    Pkg,
                    false,
                    false},
        VersionCase{"NoDependency",
                    {{"package.json", R"({"dependencies": {"lodash": "^4.17.21"}})"}},
                    Kind::Unknown,
                    {},
                    "",
                    false,
                    false},
        VersionCase{"NoPackageJson", {}, Kind::Unknown, {}, "", false, false}),
    [](const ::testing::TestParamInfo<VersionCase> &info) { return info.param.name; });

TEST(CloudFunctions, BrokenPackageJsonIsUnknownAndSaid) {
  TempProject project({
      {"project.config.json", Config},
      {"cloudfunctions/fn/index.js", ""},
      {"cloudfunctions/fn/package.json", R"({"dependencies": {"wx-server-sdk": "~2.6.3")"},
  });
  ProjectModel model = discoverProject(project);
  ASSERT_EQ(model.functions.size(), 1u);
  EXPECT_EQ(model.functions[0].wxServerSdk.kind, Kind::Unknown);
  auto bad = notificationsWithId(model, "bad-config");
  ASSERT_EQ(bad.size(), 1u); // read once, said once
  EXPECT_EQ(bad[0]->path, "cloudfunctions/fn/package.json");
  EXPECT_THAT(bad[0]->message, HasSubstr("invalid JSON"));
}

TEST(CloudFunctions, BrokenLockfileFallsBackToPackageJson) {
  TempProject project({
      {"project.config.json", Config},
      {"cloudfunctions/fn/index.js", ""},
      {"cloudfunctions/fn/package.json", packageJsonWithSdk("~2.6.3")},
      {"cloudfunctions/fn/package-lock.json", "{ not json"},
  });
  ProjectModel model = discoverProject(project);
  ASSERT_EQ(model.functions.size(), 1u);
  const SdkVersionInfo &sdk = model.functions[0].wxServerSdk;
  EXPECT_EQ(sdk.kind, Kind::BelowFour);
  EXPECT_EQ(sdk.spec, "~2.6.3");
  EXPECT_EQ(sdk.source, "cloudfunctions/fn/package.json");
  auto bad = notificationsWithId(model, "bad-config");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0]->path, "cloudfunctions/fn/package-lock.json");
}

TEST(CloudFunctions, WrongTypeDependencySpecIsSaid) {
  TempProject project({
      {"project.config.json", Config},
      {"cloudfunctions/fn/index.js", ""},
      {"cloudfunctions/fn/package.json", R"({"dependencies": {"wx-server-sdk": 2}})"},
  });
  ProjectModel model = discoverProject(project);
  EXPECT_EQ(model.functions[0].wxServerSdk.kind, Kind::Unknown);
  auto bad = notificationsWithId(model, "bad-config");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_THAT(bad[0]->message, HasSubstr("\"dependencies.wx-server-sdk\" should be a string"));
}

} // namespace
} // namespace mpauth::testing
