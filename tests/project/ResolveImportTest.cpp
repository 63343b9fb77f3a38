// Import resolution: relative, extensionless, folder index, mini program absolute, bare.
#include "ProjectTestSupport.h"

#include "analyzer/project/Discovery.h"

#include <gmock/gmock.h>

namespace mpauth::testing {
namespace {

class ResolveImport : public ::testing::Test {
protected:
  ResolveImport()
      : Project({
            {"project.config.json",
             R"({"miniprogramRoot": "miniprogram/", "cloudfunctionRoot": "cloudfunctions/"})"},
            {"miniprogram/app.js", ""},
            {"miniprogram/config.js", ""},
            {"miniprogram/utils/index.js", ""},
            {"miniprogram/utils/db.ts", ""},
            {"miniprogram/utils/request.js", ""},
            {"miniprogram/utils/request.ts", ""},
            {"miniprogram/components/card.vue", ""},
            {"miniprogram/pages/index/index.js", ""},
            {"miniprogram/lib/vendor.min.js", ""},
            {"cloudfunctions/login/index.js", ""},
            {"cloudfunctions/login/lib/db.js", ""},
            {"cloudfunctions/login/esm.ts", ""},
            {"utils/root-only.js", ""},
        }),
        Model(discoverProject(Project)) {}

  // What `specifier` from `from` resolves to, as a display path ("" for nothing).
  std::string resolve(const std::string &from, const std::string &specifier) {
    auto index = Model.resolveImport(fileIndex(Model, from), specifier);
    return index ? Model.files[*index].displayPath : std::string();
  }

  TempProject Project;
  ProjectModel Model;
};

TEST_F(ResolveImport, Relative) {
  const std::string page = "miniprogram/pages/index/index.js";
  EXPECT_EQ(resolve(page, "../../config.js"), "miniprogram/config.js");
  EXPECT_EQ(resolve(page, "../../config"), "miniprogram/config.js");
  EXPECT_EQ(resolve("miniprogram/app.js", "./config"), "miniprogram/config.js");
  EXPECT_EQ(resolve("miniprogram/app.js", "./utils/db"), "miniprogram/utils/db.ts");
  EXPECT_EQ(resolve("miniprogram/app.js", "./components/card"), "miniprogram/components/card.vue");
  // The exact file first: request.js, not request.ts.
  EXPECT_EQ(resolve("miniprogram/app.js", "./utils/request"), "miniprogram/utils/request.js");
  EXPECT_EQ(resolve("cloudfunctions/login/index.js", "./lib/db"), "cloudfunctions/login/lib/db.js");
  // TypeScript's ESM convention: "./esm.js" names esm.ts.
  EXPECT_EQ(resolve("cloudfunctions/login/index.js", "./esm.js"), "cloudfunctions/login/esm.ts");
}

TEST_F(ResolveImport, FolderIndex) {
  EXPECT_EQ(resolve("miniprogram/app.js", "./utils"), "miniprogram/utils/index.js");
  EXPECT_EQ(resolve("miniprogram/app.js", "./utils/"), "miniprogram/utils/index.js");
  EXPECT_EQ(resolve("miniprogram/utils/db.ts", "."), "miniprogram/utils/index.js");
}

TEST_F(ResolveImport, MiniProgramAbsolute) {
  const std::string page = "miniprogram/pages/index/index.js";
  EXPECT_EQ(resolve(page, "/utils/db"), "miniprogram/utils/db.ts");
  EXPECT_EQ(resolve(page, "/config.js"), "miniprogram/config.js");
  // Outside the client, "/" is the project root.
  EXPECT_EQ(resolve("cloudfunctions/login/index.js", "/utils/root-only"), "utils/root-only.js");
  EXPECT_EQ(resolve("cloudfunctions/login/index.js", "/utils/db"), "");
  EXPECT_EQ(resolve(page, "@/utils/request"), "miniprogram/utils/request.js");
}

TEST_F(ResolveImport, NothingOutsideTheModel) {
  EXPECT_EQ(resolve("miniprogram/app.js", "wx-server-sdk"), "");
  EXPECT_EQ(resolve("miniprogram/app.js", "@vant/weapp/dialog/dialog"), "");
  EXPECT_EQ(resolve("miniprogram/app.js", "utils/db"), "");
  EXPECT_EQ(resolve("miniprogram/app.js", "./lib/vendor.min"), ""); // skipped file
  EXPECT_EQ(resolve("miniprogram/app.js", "./missing"), "");
  EXPECT_EQ(resolve("miniprogram/app.js", "../../../../etc/passwd"), "");
  EXPECT_FALSE(Model.resolveImport(Model.files.size(), "./config").has_value());
}

TEST(LenientJson, StripsCommentsAndTrailingCommasOutsideStrings) {
  using project_detail::stripJsonExtensions;
  EXPECT_EQ(stripJsonExtensions("{\"a\": 1, // x\n}"), "{\"a\": 1" + std::string(6, ' ') + "\n}");
  EXPECT_EQ(stripJsonExtensions("[1,/* c */]"), "[1" + std::string(8, ' ') + "]");
  EXPECT_EQ(stripJsonExtensions(R"({"u": "http://x/*y*/", "v": "a,}"})"),
            R"({"u": "http://x/*y*/", "v": "a,}"})");
  EXPECT_EQ(stripJsonExtensions(R"({"q": "say \"hi\" // no"})"), R"({"q": "say \"hi\" // no"})");
  auto parsed = project_detail::parseLenientJson("\xEF\xBB\xBF{\"a\": [1, 2,],}");
  ASSERT_TRUE(static_cast<bool>(parsed)) << llvm::toString(parsed.takeError());
  EXPECT_EQ(parsed->getAsObject()->getArray("a")->size(), 2u);
}

} // namespace
} // namespace mpauth::testing
