// Readable assertions on parsed JSON: llvm::json's getters return llvm::Optional, which
// GoogleTest cannot compare with plain values, and a missing key should read as such.
#pragma once

#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>

namespace mpauth::report_test {

inline std::string str(const llvm::json::Object &object, llvm::StringRef key) {
  auto value = object.getString(key);
  return value ? value->str() : "<missing " + key.str() + ">";
}

inline int64_t num(const llvm::json::Object &object, llvm::StringRef key) {
  return object.getInteger(key).getValueOr(INT64_MIN);
}

inline std::string flag(const llvm::json::Object &object, llvm::StringRef key) {
  auto value = object.getBoolean(key);
  return value ? (*value ? "true" : "false") : "<missing " + key.str() + ">";
}

} // namespace mpauth::report_test
