#include "report/Golden.h"

#include "analyzer/driver/Version.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"
#include "gtest/gtest.h"

#include <cstdlib>

namespace mpauth::report_test {

namespace {

std::string replaceAll(llvm::StringRef text, llvm::StringRef from, llvm::StringRef to) {
  std::string out;
  while (true) {
    size_t at = text.find(from);
    out += text.take_front(at);
    if (at == llvm::StringRef::npos)
      return out;
    out += to;
    text = text.drop_front(at + from.size());
  }
}

// The golden's spelling of `output`.
std::string toGolden(const std::string &output) {
  std::string quotedVersion = std::string("\"") + kVersion + "\"";
  return replaceAll(replaceAll(output, "\x1b", "\\e"), quotedVersion, "\"@VERSION@\"");
}

} // namespace

void expectMatchesGolden(const std::string &name, const std::string &actual) {
  std::string path = std::string(MPAUTH_SOURCE_DIR) + "/tests/report/golden/" + name;
  std::string golden = toGolden(actual);
  if (const char *update = std::getenv("MPAUTH_UPDATE_GOLDEN"); update && *update == '1') {
    std::error_code ec;
    llvm::raw_fd_ostream out(path, ec);
    ASSERT_FALSE(ec) << "cannot write " << path << ": " << ec.message();
    out << golden;
    return;
  }
  auto expected = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
  ASSERT_TRUE(expected) << "missing golden file tests/report/golden/" << name
                        << " (run with MPAUTH_UPDATE_GOLDEN=1 to create it, then review it)";
  EXPECT_EQ((*expected)->getBuffer().str(), golden)
      << "output differs from tests/report/golden/" << name;
}

} // namespace mpauth::report_test
