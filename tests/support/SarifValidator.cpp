#include "support/SarifValidator.h"

#include "support/TempDir.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

namespace mpauth::testing {
namespace {

const std::string kMultitool = std::string(MPAUTH_SOURCE_DIR) +
                               "/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";

// npm installs the package with --ignore-scripts, which may leave the binary without its
// execute bit.
llvm::Error makeExecutable(const std::string &path) {
  llvm::sys::fs::file_status status;
  if (std::error_code ec = llvm::sys::fs::status(path, status))
    return llvm::createStringError(ec, "%s: %s (run scripts/setup to install it)", path.c_str(),
                                   ec.message().c_str());
  if (status.permissions() & llvm::sys::fs::owner_exe)
    return llvm::Error::success();
  if (std::error_code ec =
          llvm::sys::fs::setPermissions(path, status.permissions() | llvm::sys::fs::owner_exe))
    return llvm::createStringError(ec, "cannot make %s executable: %s", path.c_str(),
                                   ec.message().c_str());
  return llvm::Error::success();
}

// The validator's message for a result: its rule's message string with the arguments filled in.
std::string describe(const llvm::json::Object &run, const llvm::json::Object &result) {
  std::string text;
  const llvm::json::Object *message = result.getObject("message");
  llvm::StringRef messageId = message ? message->getString("id").getValueOr("") : "";
  const llvm::json::Array *rules = run.getObject("tool")->getObject("driver")->getArray("rules");
  auto ruleIndex = result.getInteger("ruleIndex");
  if (rules && ruleIndex && *ruleIndex >= 0 && static_cast<size_t>(*ruleIndex) < rules->size())
    if (const auto *strings = (*rules)[*ruleIndex].getAsObject()->getObject("messageStrings"))
      if (const auto *templ = strings->getObject(messageId))
        text = templ->getString("text").getValueOr("").str();
  if (message && message->getString("text"))
    text = message->getString("text")->str();
  if (const llvm::json::Array *arguments = message ? message->getArray("arguments") : nullptr) {
    for (size_t i = 0; i < arguments->size(); ++i) {
      std::string placeholder = "{" + std::to_string(i) + "}";
      std::string value = (*arguments)[i].getAsString().getValueOr("").str();
      for (size_t at = text.find(placeholder); at != std::string::npos;
           at = text.find(placeholder, at + value.size()))
        text.replace(at, placeholder.size(), value);
    }
  }
  return llvm::formatv("{0} {1}: {2}", result.getString("ruleId").getValueOr("?"),
                       result.getString("level").getValueOr("warning"), text)
      .str();
}

// Validates `sarif`; returns the validator's error and warning findings, one line each.
} // namespace

llvm::Expected<std::vector<std::string>> validateSarif(const std::string &sarif) {
  if (llvm::Error error = makeExecutable(kMultitool))
    return error;
  llvm::SmallString<128> input, output, console;
  for (auto [path, suffix] : {std::pair{&input, "sarif"}, {&output, "sarif"}, {&console, "txt"}})
    if (std::error_code ec = llvm::sys::fs::createTemporaryFile("mpauth-report", suffix, *path))
      return llvm::createStringError(ec, "cannot create a temporary file");
  auto cleanup = llvm::make_scope_exit([&] {
    for (const auto &path : {input, output, console})
      llvm::sys::fs::remove(path);
  });
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(input, ec);
    if (ec)
      return llvm::createStringError(ec, "cannot write %s", input.c_str());
    out << sarif;
  }
  std::string error;
  llvm::StringRef args[] = {kMultitool, "validate", input,           "--rule-kind",
                            "Gh;Sarif", "--level",  "Error;Warning", "-o",
                            output,     "--log",    "ForceOverwrite"};
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::None, console.str(), console.str()};
  int status = llvm::sys::ExecuteAndWait(kMultitool, args, llvm::None, redirects,
                                         /*SecondsToWait=*/600, /*MemoryLimit=*/0, &error);
  if (status != 0)
    return llvm::createStringError(std::errc::io_error, "the validator failed (%d): %s\n%s", status,
                                   error.c_str(), readFile(console).c_str());
  auto log = llvm::json::parse(readFile(output));
  if (!log)
    return llvm::createStringError(std::errc::io_error, "unreadable validator log: %s\n%s",
                                   llvm::toString(log.takeError()).c_str(),
                                   readFile(console).c_str());
  std::vector<std::string> problems;
  const llvm::json::Array *runs = log->getAsObject()->getArray("runs");
  if (!runs || runs->empty())
    return llvm::createStringError(std::errc::io_error, "validator log without runs");
  const llvm::json::Object &run = *runs->front().getAsObject();
  if (const llvm::json::Array *results = run.getArray("results")) {
    for (const llvm::json::Value &value : *results) {
      const llvm::json::Object &result = *value.getAsObject();
      llvm::StringRef level = result.getString("level").getValueOr("warning"); // SARIF default
      if (level == "error" || level == "warning")
        problems.push_back(describe(run, result));
    }
  }
  // A log the validator could not even read shows up as a failed invocation.
  if (const llvm::json::Array *invocations = run.getArray("invocations")) {
    for (const llvm::json::Value &value : *invocations) {
      const llvm::json::Object &invocation = *value.getAsObject();
      if (invocation.getBoolean("executionSuccessful") == false)
        problems.push_back("validator execution failed:\n" + readFile(console));
      if (const auto *notifications = invocation.getArray("toolExecutionNotifications"))
        for (const llvm::json::Value &n : *notifications)
          if (n.getAsObject()->getString("level").getValueOr("warning") == "error")
            problems.push_back(
                "validator error: " +
                n.getAsObject()->getObject("message")->getString("text").getValueOr("").str());
    }
  }
  return problems;
}

std::string listedProblems(const std::vector<std::string> &problems) {
  std::string out;
  for (const std::string &problem : problems)
    out += "  " + problem + "\n";
  return out;
}

} // namespace mpauth::testing
