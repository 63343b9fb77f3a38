// npm range semantics behind the wx-server-sdk tiers of hardcoded-env (SPEC 3.2).
#include "analyzer/project/Project.h"

#include <gtest/gtest.h>

namespace mpauth {
namespace {

using Kind = SdkVersionInfo::Kind;

struct SpecCase {
  const char *spec;
  Kind kind;
  SdkVersion version; // Exact: the version; BelowFour: the floor
  bool below4;
  bool below111;
};

class SdkSpec : public ::testing::TestWithParam<SpecCase> {};

TEST_P(SdkSpec, Classifies) {
  const SpecCase &c = GetParam();
  SdkVersionInfo info = classifySdkSpec(c.spec);
  EXPECT_EQ(info.kind, c.kind) << c.spec;
  if (c.kind == Kind::Exact || c.kind == Kind::BelowFour) {
    EXPECT_EQ(toString(info.version), toString(c.version)) << c.spec;
  }
  EXPECT_EQ(info.spec, c.spec);
  EXPECT_EQ(info.knownBelow4(), c.below4) << c.spec;
  EXPECT_EQ(info.knownBelow111(), c.below111) << c.spec;
}

INSTANTIATE_TEST_SUITE_P(
    Specs, SdkSpec,
    ::testing::Values(
        // Exact pins.
        SpecCase{"2.6.3", Kind::Exact, {2, 6, 3}, true, false},
        SpecCase{"=2.6.3", Kind::Exact, {2, 6, 3}, true, false},
        SpecCase{"v1.1.0", Kind::Exact, {1, 1, 0}, true, true},
        SpecCase{"1.1.1", Kind::Exact, {1, 1, 1}, true, false},
        SpecCase{"4.0.0", Kind::Exact, {4, 0, 0}, true, false},
        SpecCase{"4.0.1", Kind::Exact, {4, 0, 1}, false, false},
        SpecCase{"3.0.0-beta.1", Kind::Exact, {3, 0, 0}, true, false},
        // Ranges that cannot reach 4.x: the floor.
        SpecCase{"^2.6.3", Kind::BelowFour, {2, 6, 3}, true, false},
        SpecCase{"~2.6.3", Kind::BelowFour, {2, 6, 3}, true, false},
        SpecCase{"~>2.6", Kind::BelowFour, {2, 6, 0}, true, false},
        SpecCase{"2.x", Kind::BelowFour, {2, 0, 0}, true, false},
        SpecCase{"2.6.X", Kind::BelowFour, {2, 6, 0}, true, false},
        SpecCase{"2", Kind::BelowFour, {2, 0, 0}, true, false},
        SpecCase{"~3", Kind::BelowFour, {3, 0, 0}, true, false},
        SpecCase{"^3.x", Kind::BelowFour, {3, 0, 0}, true, false},
        SpecCase{">=2.0.0 <4", Kind::BelowFour, {2, 0, 0}, true, false},
        SpecCase{">= 2.0.0 < 4.0.0", Kind::BelowFour, {2, 0, 0}, true, false},
        SpecCase{"<4.0.0", Kind::BelowFour, {0, 0, 0}, true, false},
        SpecCase{"<=3.9", Kind::BelowFour, {0, 0, 0}, true, false},
        SpecCase{">2.6 <=3", Kind::BelowFour, {2, 7, 0}, true, false},
        SpecCase{"1.0.0 - 3.2", Kind::BelowFour, {1, 0, 0}, true, false},
        SpecCase{"^1.0.0 || ^2.0.0", Kind::BelowFour, {1, 0, 0}, true, false},
        // ... and those that cannot reach 1.1.1 (no DYNAMIC_CURRENT_ENV).
        SpecCase{"~1.0.0", Kind::BelowFour, {1, 0, 0}, true, true},
        SpecCase{"^0.8.0", Kind::BelowFour, {0, 8, 0}, true, true},
        SpecCase{"<1.1.1", Kind::BelowFour, {0, 0, 0}, true, true},
        SpecCase{"<=1.1.0", Kind::BelowFour, {0, 0, 0}, true, true},
        SpecCase{"~1.1.0", Kind::BelowFour, {1, 1, 0}, true, false},
        SpecCase{"^1.0.0", Kind::BelowFour, {1, 0, 0}, true, false},
        // Ranges that admit 4.x.
        SpecCase{"latest", Kind::Latest, {}, false, false},
        SpecCase{"*", Kind::Latest, {}, false, false}, SpecCase{"", Kind::Latest, {}, false, false},
        SpecCase{"x", Kind::Latest, {}, false, false},
        SpecCase{"^4.0.0", Kind::Latest, {}, false, false},
        SpecCase{">=3", Kind::Latest, {}, false, false},
        SpecCase{">=2.0.0", Kind::Latest, {}, false, false},
        SpecCase{"<=4", Kind::Latest, {}, false, false},
        SpecCase{"^2.0.0 || ^4.0.0", Kind::Latest, {}, false, false},
        // Nothing known.
        SpecCase{"next", Kind::Unknown, {}, false, false},
        SpecCase{"file:../sdk", Kind::Unknown, {}, false, false},
        SpecCase{"npm:wx-server-sdk@2.6.3", Kind::Unknown, {}, false, false},
        SpecCase{"TencentCloudBase/wx-server-sdk", Kind::Unknown, {}, false, false},
        SpecCase{"2.6.3.1", Kind::Unknown, {}, false, false},
        SpecCase{">5 <3", Kind::Unknown, {}, false, false},
        SpecCase{"^", Kind::Unknown, {}, false, false}));

TEST(SdkVersion, ParsesOnlyFullVersions) {
  ASSERT_TRUE(parseSdkVersion("2.6.3").has_value());
  EXPECT_EQ(toString(*parseSdkVersion("v2.6.3")), "2.6.3");
  EXPECT_EQ(toString(*parseSdkVersion(" 4.0.2-beta.0 ")), "4.0.2");
  EXPECT_FALSE(parseSdkVersion("2.6").has_value());
  EXPECT_FALSE(parseSdkVersion("^2.6.3").has_value());
  EXPECT_FALSE(parseSdkVersion("latest").has_value());
  EXPECT_LT((SdkVersion{2, 9, 9}), (SdkVersion{4, 0, 0}));
}

TEST(SdkVersion, UnknownAndLatestKnowNothing) {
  SdkVersionInfo unknown;
  EXPECT_FALSE(unknown.knownBelow4());
  EXPECT_FALSE(unknown.knownBelow111());
  SdkVersionInfo exactOld;
  exactOld.kind = Kind::Exact;
  exactOld.version = {1, 0, 9};
  EXPECT_TRUE(exactOld.knownBelow4());
  EXPECT_TRUE(exactOld.knownBelow111());
}

} // namespace
} // namespace mpauth
