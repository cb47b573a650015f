#include <catch2/catch.hpp>

#include "postguard/postguard.h"

TEST_CASE("baseline policy compiles") {
  auto p = postguard::Policy::baseline();
  REQUIRE(p.ok());
}
