// A GoogleTest parameter name from a rule id or fixture path ("openid-leak/qr-scene" ->
// "openid_leak_qr_scene"): test names allow only letters, digits and underscores.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <string>

namespace mpauth::testing {

inline std::string paramName(const ::testing::TestParamInfo<std::string> &info) {
  std::string name = info.param;
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      c = '_';
  return name;
}

} // namespace mpauth::testing
