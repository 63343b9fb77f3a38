#include "report/SampleRun.h"

#include "gtest/gtest.h"

namespace mpauth::report_test {

namespace {

constexpr std::string_view kHardcodedEnvTags[] = {"security", "cloudbase", "external/cwe/cwe-547"};
constexpr MessageTemplate kHardcodedEnvMessages[] = {
    {"literal",
     "Environment id '{env}' is hard-coded in {call}; use {sdk}.DYNAMIC_CURRENT_ENV so that the "
     "function uses the environment it is deployed in.",
     ""},
    {"implicit",
     "{call} is called without an env; wx-server-sdk 4.x then uses the current environment, "
     "say so explicitly with {sdk}.DYNAMIC_CURRENT_ENV.",
     ""},
};

constexpr std::string_view kOpenidLeakTags[] = {"security", "privacy", "external/cwe/cwe-359"};
constexpr MessageTemplate kOpenidLeakMessages[] = {
    {"third-party", "The caller's OPENID is sent to the third-party host '{host}'.", ""},
};

// clang-format off
constexpr std::string_view kHardcodedEnvHelp =
    "# hardcoded-env\n"
    "\n"
    "A cloud function should talk to the **environment it is deployed in**, not to one named in "
    "its code.\n"
    "\n"
    "## Incorrect\n"
    "\n"
    "```js\n"
    "cloud.init({ env: 'prod-1a2b3c' })\n"
    "```\n"
    "\n"
    "## Correct\n"
    "\n"
    "```js\n"
    "cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })\n"
    "```\n"
    "\n"
    "See [cloud.init](https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-server-api/init/init.html).\n";
// clang-format on

} // namespace

const RuleDescriptor kHardcodedEnv{
    .id = "hardcoded-env",
    .name = "HardcodedEnv",
    .title = "Cloud function hard-codes its CloudBase environment",
    .titleZhCN = "云函数写死了云开发环境",
    .description = "A cloud function that names its environment in code keeps talking to that "
                   "environment after it is deployed to another one.",
    .defaultSeverity = Severity::Warning,
    .fix = FixSafety::Safe,
    .precision = Precision::VeryHigh,
    .securitySeverity = "5.3",
    .roles = AppliesToCloud,
    .tags = kHardcodedEnvTags,
    .messages = kHardcodedEnvMessages,
    .helpMarkdown = kHardcodedEnvHelp,
};

const RuleDescriptor kOpenidLeak{
    .id = "openid-leak",
    .name = "OpenidLeak",
    .title = "OPENID reaches a third party or another user",
    .titleZhCN = "OPENID 泄露给第三方或其他用户",
    .description = "OPENIDs are private identifiers: sending one to a third-party host or to "
                   "another user lets them track the user.",
    .defaultSeverity = Severity::Error,
    .fix = FixSafety::None,
    .precision = Precision::High,
    .securitySeverity = "7.5",
    .roles = AppliesToCloud | AppliesToClient,
    .tags = kOpenidLeakTags,
    .messages = kOpenidLeakMessages,
    .helpMarkdown = "", // exercises the plain-text fallback for SARIF help
};

uint32_t SampleRun::addFile(std::string path, std::string text) {
  files.push_back(SourceFile::fromText(path, std::move(text)));
  run.files.push_back(files.back().get());
  return static_cast<uint32_t>(run.files.size() - 1);
}

Location SampleRun::find(uint32_t file, llvm::StringRef needle, unsigned occurrence) const {
  llvm::StringRef text = run.files.at(file)->text();
  size_t at = text.find(needle);
  for (unsigned i = 0; i < occurrence && at != llvm::StringRef::npos; ++i)
    at = text.find(needle, at + 1);
  if (at == llvm::StringRef::npos) {
    ADD_FAILURE() << "sample text has no occurrence " << occurrence << " of '" << needle.str()
                  << "' in " << run.files[file]->path().str();
    return Location{file, 0, 0};
  }
  return Location{file, static_cast<uint32_t>(at), static_cast<uint32_t>(at + needle.size())};
}

std::unique_ptr<SampleRun> makeEmptyRun() {
  auto sample = std::make_unique<SampleRun>();
  sample->run.rules = {&kHardcodedEnv, &kOpenidLeak};
  sample->run.srcRoot = kFakeSrcRoot;
  sample->run.commandLine = {"mpauth", "check", "."};
  return sample;
}

namespace {

Diagnostic finding(const RuleDescriptor &rule, Severity severity, std::string messageId,
                   MessageArgs args) {
  Diagnostic d;
  d.rule = &rule;
  d.severity = severity;
  d.messageId = std::move(messageId);
  d.args = std::move(args);
  d.message = renderMessage(rule.message(d.messageId)->en, d.args);
  return d;
}

} // namespace

std::unique_ptr<SampleRun> makeSampleRun() {
  auto sample = makeEmptyRun();
  SampleRun &s = *sample;
  s.run.filesAnalyzed = 12;
  s.run.projectSummary = {
      "client root: miniprogram (miniprogramRoot in project.config.json)",
      "cloud functions root: cloudfunctions (cloudfunctionRoot in project.config.json)",
  };

  // CRLF line endings, tab indentation, CJK text before the leak on the same line.
  uint32_t login = s.addFile("cloudfunctions/login/index.js",
                             "const cloud = require('wx-server-sdk')\r\n"
                             "const axios = require('axios')\r\n"
                             "\r\n"
                             "cloud.init({ env: 'prod-1a2b3c' })\r\n"
                             "\r\n"
                             "exports.main = async (event, context) => {\r\n"
                             "\tconst wxContext = cloud.getWXContext()\r\n"
                             "\tconst openid = wxContext.OPENID\r\n"
                             "\tawait axios.post('https://stats.example.com/登录', { openid })\r\n"
                             "\treturn { ok: true }\r\n"
                             "}\r\n");
  // A UTF-8 BOM: JSON edit offsets count it, lines and columns do not.
  uint32_t quickstart =
      s.addFile("cloudfunctions/quickstart/index.js", "\xEF\xBB\xBF"
                                                      "const cloud = require('wx-server-sdk')\n"
                                                      "\n"
                                                      "cloud.init()\n");
  // A path that needs percent-encoding in URIs.
  uint32_t profile =
      s.addFile("cloudfunctions/获取 openid/index.js",
                "const cloud = require('wx-server-sdk')\n"
                "// mpauth-ignore-next-line hardcoded-env -- 测试环境专用, never deployed\n"
                "cloud.init({ env: 'test-9z8y' })\n"
                "\n"
                "exports.main = async () => ({ ok: true })\n");

  {
    Diagnostic d = finding(kHardcodedEnv, Severity::Warning, "literal",
                           {{"env", "prod-1a2b3c"}, {"call", "cloud.init()"}, {"sdk", "cloud"}});
    d.primary = s.find(login, "'prod-1a2b3c'");
    d.context = s.find(login, "cloud.init({ env: 'prod-1a2b3c' })");
    d.fix = Fix{"Use cloud.DYNAMIC_CURRENT_ENV.", {{d.primary, "cloud.DYNAMIC_CURRENT_ENV"}}};
    s.run.diagnostics.push_back(std::move(d));
  }
  {
    Diagnostic d =
        finding(kOpenidLeak, Severity::Error, "third-party", {{"host", "stats.example.com"}});
    d.primary = s.find(login, "openid", 1);
    d.context = s.find(login, "await axios.post('https://stats.example.com/登录', { openid })");
    d.related = {{s.find(login, "require('axios')"), "'axios' is an HTTP client."}};
    d.flow = {
        {s.find(login, "wxContext.OPENID"), "The caller's OPENID is read from the WeChat context."},
        {s.find(login, "openid"), "It is stored in 'openid'."},
        {s.find(login, "openid", 1), "It is sent in the body of axios.post()."},
    };
    s.run.diagnostics.push_back(std::move(d));
  }
  {
    Diagnostic d = finding(kHardcodedEnv, Severity::Note, "implicit",
                           {{"call", "cloud.init()"}, {"sdk", "cloud"}});
    d.primary = s.find(quickstart, "cloud.init()");
    d.context = d.primary;
    // Between the parentheses of cloud.init().
    Location insertion{quickstart, d.primary.end - 1, d.primary.end - 1};
    d.fix = Fix{"Pass { env: cloud.DYNAMIC_CURRENT_ENV }.",
                {{insertion, "{ env: cloud.DYNAMIC_CURRENT_ENV }"}}};
    s.run.diagnostics.push_back(std::move(d));
  }
  {
    Diagnostic d = finding(kHardcodedEnv, Severity::Warning, "literal",
                           {{"env", "test-9z8y"}, {"call", "cloud.init()"}, {"sdk", "cloud"}});
    d.primary = s.find(profile, "'test-9z8y'");
    d.context = s.find(profile, "cloud.init({ env: 'test-9z8y' })");
    d.fix = Fix{"Use cloud.DYNAMIC_CURRENT_ENV.", {{d.primary, "cloud.DYNAMIC_CURRENT_ENV"}}};
    d.suppression =
        Suppression{"测试环境专用, never deployed", s.find(profile, "// mpauth-ignore-next-line")};
    s.run.diagnostics.push_back(std::move(d));
  }

  s.run.notifications = {
      {Severity::Warning, "Unexpected token '}': the file was not analyzed.",
       "miniprogram/utils/broken.js", 12, 3, "parse-error"},
      {Severity::Note, "No project.config.json was found, so '.' is the project root.", "",
       std::nullopt, std::nullopt, "no-project-config"},
  };
  return sample;
}

std::string render(Reporter &reporter, const RunResult &run) {
  std::string out;
  llvm::raw_string_ostream stream(out);
  reporter.write(run, stream);
  stream.flush();
  return out;
}

} // namespace mpauth::report_test
