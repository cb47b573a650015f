// The regex pass runs one job per distinct compiled pattern and reuses ICU
// matchers between checks (a per-thread cache). Neither may change a finding:
// shared patterns give every holder the same spans as separate runs would,
// a reused matcher finds what a fresh ICU matcher finds on each new text,
// checks from several threads agree, and the cache stops growing.
#include <catch2/catch.hpp>

#include <unicode/regex.h>

#include <memory>
#include <random>
#include <thread>

#include "compiled_regex.h"
#include "engine/compiled_policy.h"
#include "match/regex_prefilter.h"
#include "pack_regexes.h"
#include "rules/hits.h"
#include "test_support.h"

namespace {

using postguard::CompiledRegex;
using postguard::rules::RegexInput;
using postguard::rules::RegexJob;
using postguard::rules::Span;

// What a fresh ICU matcher's find() gives, as folded byte spans.
std::vector<Span> icu_find(const icu::RegexPattern& pattern, const RegexInput& in) {
  UErrorCode st = U_ZERO_ERROR;
  std::unique_ptr<icu::RegexMatcher> m(pattern.matcher(in.text, st));
  REQUIRE(U_SUCCESS(st));
  std::vector<Span> out;
  while (m->find(st) && U_SUCCESS(st)) {
    const int32_t b = m->start(st), e = m->end(st);
    if (e > b) out.push_back({in.byte_at(static_cast<size_t>(b)), in.byte_at(static_cast<size_t>(e))});
  }
  return out;
}

std::string random_text(std::mt19937& rng, size_t n) {
  static const std::vector<std::string> pieces = {
      "a", "e", "x", " ", " ", ".", "-", "@", "!", "'", "\xC3\xA9", "\xF0\x9F\x98\x80", "dm me", "message me on",
      "snap", "insta", "my number", "07700 900", "year 9", "y7", "password", "pin", "wifi", "ex-", "sir", "miss"};
  std::string s;
  while (s.size() < n) s += pieces[rng() % pieces.size()];
  return s;
}

}  // namespace

TEST_CASE("regex pass: one pattern held by several jobs gives each the spans of a separate run", "[regex-reuse]") {
  const auto patterns = pgtest::pack_regexes();
  REQUIRE(patterns.size() >= 8);
  // Every pack pattern twice, sharing one compiled pattern (as the compile's
  // per-process cache does), plus once more into the first job's own list.
  std::vector<CompiledRegex> shared;
  for (const auto& p : patterns) shared.push_back(pgtest::compiled_regex(p));
  std::mt19937 rng(5);
  for (int round = 0; round < 60; ++round) {
    const std::string text = random_text(rng, 1 + rng() % 300);
    const RegexInput in(text);
    std::vector<std::vector<Span>> a(shared.size()), b(shared.size());
    std::vector<RegexJob> jobs;
    for (size_t k = 0; k < shared.size(); ++k) {
      jobs.push_back({&shared[k], &a[k]});
      jobs.push_back({&shared[k], &b[k]});
      if (k == 0) jobs.push_back({&shared[k], &a[k]});
    }
    postguard::rules::find_all(jobs, in);
    for (size_t k = 0; k < shared.size(); ++k) {
      INFO("pattern: " << patterns[k] << "\ntext: " << text);
      const std::vector<Span> want = icu_find(*shared[k].pattern(), in);
      REQUIRE(b[k] == want);
      if (k == 0) {
        std::vector<Span> twice = want;
        twice.insert(twice.end(), want.begin(), want.end());
        std::sort(twice.begin(), twice.end());
        std::vector<Span> got = a[k];
        std::sort(got.begin(), got.end());
        REQUIRE(got == twice);  // held twice by one list: its spans twice, as two separate runs gave
      } else {
        REQUIRE(a[k] == want);
      }
    }
  }
}

TEST_CASE("regex pass: a reused matcher finds on each new text what a fresh one finds", "[regex-reuse]") {
  // Long text, then short, then empty, then long again: nothing of the last
  // text (its region, match position, bounds) may leak into the next. The
  // same pattern is used with and without a start set, which use different
  // ICU bounds on one cached matcher.
  const std::vector<std::string> sources = {"\\b(?:dm|message) me\\b", "(?<=@)[a-z]+", "^miss\\b", "\\bsir$",
                                            "[0-9]{5} ?[0-9]{3}"};
  std::mt19937 rng(9);
  for (const auto& source : sources) {
    const auto pattern = pgtest::lazy_pattern(source);
    const CompiledRegex with_start{pattern, postguard::match::start_set(source)};
    const CompiledRegex without_start{pattern, postguard::match::StartSet{}};
    for (int round = 0; round < 40; ++round) {
      const size_t sizes[] = {2000, 30, 0, 500};
      const std::string text = random_text(rng, sizes[round % 4]) + (round % 3 ? " sir" : "");
      const RegexInput in(text);
      const CompiledRegex& regex = round % 2 ? with_start : without_start;
      std::vector<Span> got;
      postguard::rules::find_all(regex, in, got);
      INFO("pattern: " << source << "\ntext: " << text);
      REQUIRE(got == icu_find(*pattern->get(), in));
    }
  }
}

TEST_CASE("checks reuse matchers: same findings from several threads, and the cache stops growing", "[regex-reuse]") {
  const auto policy = pgtest::bundle_policy();
  const auto ctx = pgtest::personal_post();
  const std::vector<std::string> drafts = {
      "Proud of Quill Harbour Primary School today! DM me on snap if you want the photos, year 9",
      "The wifi password is Tiger123 and my number is 07700 900123, text me year 9",
      "Lovely sunny day at the beach.",
      std::string(5000, 'a') + " dm me " + std::string(300, 'x')};
  // Findings compared as their JSON (every field).
  auto findings = [&](const std::string& draft) {
    auto r = postguard::check(policy, draft, ctx);
    return r ? postguard::findings_to_json(r.value()) : std::string("error: ") + r.error().message;
  };
  std::vector<std::string> want;
  for (const auto& d : drafts) want.push_back(findings(d));
  REQUIRE(want[0] != "[]");
  REQUIRE(want[1] != "[]");
  const size_t cached = postguard::rules::cached_matcher_count();
  REQUIRE(cached > 0);
  for (int round = 0; round < 200; ++round) {
    const size_t k = static_cast<size_t>(round) % drafts.size();
    REQUIRE(findings(drafts[k]) == want[k]);
  }
  REQUIRE(postguard::rules::cached_matcher_count() == cached);
  // Four threads at once, each with its own matchers.
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 100; ++round) {
        const size_t k = (t + static_cast<size_t>(round)) % drafts.size();
        if (findings(drafts[k]) != want[k]) ++mismatches[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  REQUIRE(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("regex pass: kept pass tables follow a change of regexes between passes", "[regex-reuse]") {
  // Passes over alternating job lists (all pack regexes; every other one;
  // the same in reverse order; the first few) reuse or rebuild the thread's
  // pass tables: each must still find exactly what ICU finds.
  const auto patterns = pgtest::pack_regexes();
  std::vector<CompiledRegex> all;
  for (const auto& p : patterns) all.push_back(pgtest::compiled_regex(p));
  std::vector<std::vector<size_t>> lists(4);
  for (size_t k = 0; k < all.size(); ++k) {
    lists[0].push_back(k);
    if (k % 2 == 0) lists[1].push_back(k);
    lists[2].insert(lists[2].begin(), k);
    if (k < 5) lists[3].push_back(k);
  }
  std::mt19937 rng(23);
  for (int round = 0; round < 80; ++round) {
    const std::vector<size_t>& list = lists[static_cast<size_t>(round) % lists.size()];
    const std::string text = random_text(rng, 1 + rng() % 300);
    const RegexInput in(text);
    std::vector<std::vector<Span>> got(list.size());
    std::vector<RegexJob> jobs;
    for (size_t k = 0; k < list.size(); ++k) jobs.push_back({&all[list[k]], &got[k]});
    postguard::rules::find_all(jobs, in);
    for (size_t k = 0; k < list.size(); ++k) {
      INFO("pattern: " << patterns[list[k]] << "\ntext: " << text);
      REQUIRE(got[k] == icu_find(*all[list[k]].pattern(), in));
    }
  }
}
