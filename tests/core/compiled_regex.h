// A CompiledRegex made in a test, as the policy compile makes one: the ICU
// pattern (required to compile) with or without its prefilter start set.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "engine/compiled_policy.h"
#include "match/regex_prefilter.h"

namespace pgtest {

inline std::shared_ptr<const postguard::LazyPattern> lazy_pattern(const std::string& pattern) {
  auto lazy = std::make_shared<const postguard::LazyPattern>(pattern);
  REQUIRE(lazy->get() != nullptr);
  return lazy;
}

inline postguard::CompiledRegex compiled_regex(const std::string& pattern, bool prefilter = true) {
  return {lazy_pattern(pattern), prefilter ? postguard::match::start_set(pattern) : postguard::match::StartSet{}};
}

}  // namespace pgtest
