// Label selectors as kubectl and `argo list -l` read them.
#include "store/label_selector.h"

#include <gtest/gtest.h>

namespace loom::store {
namespace {

const std::map<std::string, std::string> kLabels = {
    {"workflows.argoproj.io/completed", "true"}, {"team", "ml"}, {"tier", "gold"}};

bool Matches(const std::string& selector) {
  auto parsed = LabelSelector::Parse(selector);
  EXPECT_TRUE(parsed.ok()) << parsed.error();
  return parsed.ok() && parsed->Matches(kLabels);
}

TEST(LabelSelector, EqualityAndInequality) {
  EXPECT_TRUE(Matches("workflows.argoproj.io/completed=true"));
  EXPECT_TRUE(Matches("team==ml"));
  EXPECT_FALSE(Matches("team=ops"));
  EXPECT_TRUE(Matches("team!=ops"));
  EXPECT_FALSE(Matches("team!=ml"));
  EXPECT_TRUE(Matches("missing!=x"));  // as in Kubernetes: absent labels differ from any value
}

TEST(LabelSelector, ExistenceSetsAndConjunction) {
  EXPECT_TRUE(Matches("team"));
  EXPECT_FALSE(Matches("owner"));
  EXPECT_TRUE(Matches("!owner"));
  EXPECT_FALSE(Matches("!team"));
  EXPECT_TRUE(Matches("tier in (silver, gold)"));
  EXPECT_FALSE(Matches("tier notin (silver,gold)"));
  EXPECT_TRUE(Matches("team=ml, tier in (gold),!owner"));
  EXPECT_FALSE(Matches("team=ml,tier=silver"));
  EXPECT_TRUE(Matches(""));
}

TEST(LabelSelector, EqualitiesAreWhatAStoreCanIndex) {
  auto parsed = LabelSelector::Parse("team=ml,tier!=gold,x in (a,b),y in (c)");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->Equalities(), (std::map<std::string, std::string>{{"team", "ml"}, {"y", "c"}}));
}

TEST(LabelSelector, MalformedRequirementsSayWhich) {
  auto bad = LabelSelector::Parse("team=ml,tier ~ gold");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error(),
            "label selector \"tier ~ gold\": expected =, !=, in or notin after the key");
  EXPECT_FALSE(LabelSelector::Parse("tier in gold").ok());
  EXPECT_FALSE(LabelSelector::Parse("a b=c").ok());
  EXPECT_FALSE(LabelSelector::Parse("team=ml,,x").ok());
}

}  // namespace
}  // namespace loom::store
