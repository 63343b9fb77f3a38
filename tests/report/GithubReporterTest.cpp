#include "report/Golden.h"
#include "report/SampleRun.h"

#include "gtest/gtest.h"

namespace mpauth::report_test {
namespace {

TEST(GithubReporter, MatchesGolden) {
  auto sample = makeSampleRun();
  expectMatchesGolden("sample.github.txt", render(*makeGithubReporter(), sample->run));
}

TEST(GithubReporter, SuppressedFindingsAreOmitted) {
  auto sample = makeSampleRun();
  std::string out = render(*makeGithubReporter(), sample->run);
  EXPECT_EQ(out.find("test-9z8y"), std::string::npos);
}

// A message or path must never end the command early or start a second command.
TEST(GithubReporter, EscapesDataAndProperties) {
  auto sample = makeEmptyRun();
  uint32_t file = sample->addFile("pages/a,b:c/100%.js", "x\n");
  Diagnostic d;
  d.rule = &kOpenidLeak;
  d.severity = Severity::Error;
  d.message = "50% of it:\r\n::error::injected, really.";
  d.primary = sample->find(file, "x");
  sample->run.diagnostics.push_back(d);
  d.severity = Severity::Note;
  d.message = "A note.";
  sample->run.diagnostics.push_back(d);
  sample->run.notifications = {
      {Severity::Warning, "Bad\nconfig.", "a:b,c.json", 2, std::nullopt, "bad-config"},
      {Severity::Error, "No path.", "", std::nullopt, std::nullopt, ""},
  };
  EXPECT_EQ(render(*makeGithubReporter(), sample->run),
            "::error file=pages/a%2Cb%3Ac/100%25.js,line=1,col=1,endLine=1,endColumn=2,"
            "title=openid-leak::50%25 of it:%0D%0A::error::injected, really.\n"
            "::notice file=pages/a%2Cb%3Ac/100%25.js,line=1,col=1,endLine=1,endColumn=2,"
            "title=openid-leak::A note.\n"
            "::warning file=a%3Ab%2Cc.json,line=2,title=mpauth%3Abad-config::Bad%0Aconfig.\n"
            "::error title=mpauth::No path.\n");
}

} // namespace
} // namespace mpauth::report_test
