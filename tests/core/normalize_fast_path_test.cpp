// normalize's ASCII fast paths (printable ASCII folded eight bytes at a time,
// words skipped whole while joining spaced letters, digits looked for eight
// bytes at a time, ASCII word breaks in one pass) must give exactly what the
// steps gave before them, kept as normalize_reference: the same folded text,
// every offset of the map, the upper-case flags, word boundaries, word starts
// and word counts. Compared over seeded random drafts built from the pieces
// the rules care about (spaced and dotted letters, digit swaps, handles, URLs,
// emoji, combining marks, RTL text, control characters) and over every text
// of every corpus.
#include <catch2/catch.hpp>


#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "corpus_texts.h"
#include "postguard/postguard.h"
#include "test_support.h"
#include "text/normalized_text.h"
#include "text/utf8.h"
#include "text/word_breaks.h"

namespace {

using postguard::text::NormalizedText;

// Fails with the first difference (and where it is), not a dump of both.
void require_same(const std::string& input) {
  const NormalizedText fast = postguard::text::normalize(input);
  const NormalizedText ref = postguard::text::normalize_reference(input);
  INFO("input: [" << input << "]");
  REQUIRE(fast.text == ref.text);
  // A pattern is folded by the same steps without the map (and trimmed).
  const auto first = ref.text.find_first_not_of(' ');
  const std::string trimmed =
      first == std::string::npos ? std::string() : ref.text.substr(first, ref.text.find_last_not_of(' ') - first + 1);
  REQUIRE(postguard::text::fold_pattern_full(input) == trimmed);
  REQUIRE(fast.length16 == ref.length16);
  REQUIRE(fast.src_start.size() == ref.src_start.size());
  REQUIRE(fast.src_end.size() == ref.src_end.size());
  if (fast.src_start != ref.src_start || fast.src_end != ref.src_end) {
    for (size_t i = 0; i < ref.src_start.size(); ++i) {  // name the first folded byte that differs
      INFO("folded byte " << i);
      REQUIRE(fast.src_start[i] == ref.src_start[i]);
      REQUIRE(fast.src_end[i] == ref.src_end[i]);
    }
  }
  REQUIRE(fast.upper == ref.upper);
  REQUIRE(fast.boundary == ref.boundary);
  REQUIRE(fast.word_starts == ref.word_starts);
  REQUIRE(fast.word_of.size() == ref.word_of.size());
  if (fast.word_of != ref.word_of) {
    for (size_t i = 0; i < ref.word_of.size(); ++i) {
      INFO("word_of " << i);
      REQUIRE(fast.word_of[i] == ref.word_of[i]);
    }
  }
}

const std::vector<std::string>& pieces() {
  static const std::vector<std::string> p = {
      // words, case, spaced and dotted letters, the joins' edge cases
      "pay", "PAY", "Pay", "salary", "S", "a", "A", "I", "i", "p a y", "s.a.l.a.r.y", "S.A.L.A.R.Y", "p-a-y",
      "p_a_y", "p*a*y", "H . L . C", "D M", "a i", "x", "deputy's", "'s", "it's", "don't", "__", "_",
      // digits: swaps, kept forms, numbers with separators
      "p4y", "s4l4ry", "t34ch3r", "0fst3d", "m4th5", "4ever", "0ut", "y7", "Y10s", "ks3", "KS4", "ups3",
      "3pm", "10c", "16th", "1st", "2024", "1,000", "3.5", "12;30", "7", "0", "1 2 3", "5 k",
      // handles, e-mail, URLs, hashtags, punctuation
      "@ZorblaxQT", "me@example.org", "https://example.org/a_b?c=1&d=2", "www.example.sch.uk", "#QHfamily",
      ".", ",", ";", ":", "!", "?", "'", "\"", "(", ")", "-", "--", "...", "a.b", "a..b", "1.a", "a.1",
      // white space and control characters (dropped or folded to one space)
      " ", " ", "  ", "\t", "\n", "\n\n", "\r\n", "\f", "\v", std::string(1, '\0'), "\x01", "\x1F", "\x7F",
      // non-ASCII: accents (precomposed and combining), full width, look-alikes, emoji and ZWJ
      // sequences, zero-width and format characters, RTL, dictionary scripts, typographic quotes
      "caf\xC3\xA9", "cafe\xCC\x81", "\xC5\xB5", "Stra\xC3\x9F" "e", "\xEF\xBD\x90\xEF\xBD\x81\xEF\xBD\x99",
      "\xD0\xA0\xD0\x90Y", "\xCE\xA1", "\xF0\x9F\x98\x80", "\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x8F\xAB",
      "\xF0\x9F\x87\xAC\xF0\x9F\x87\xA7", "\xE2\x80\x8B", "\xE2\x80\x8D", "\xEF\xBB\xBF", "\xC2\xA0",
      "\xE2\x80\x94", "\xC2\xA3" "5", "\xE2\x80\x99", "\xE2\x80\x9C", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D",
      "\xD9\x85\xD8\xB1\xD8\xAD\xD8\xA8\xD8\xA7", "\xE2\x80\x8F", "\xE0\xB8\xAA\xE0\xB8\xA7\xE0\xB8\xB1",
      "\xE4\xBD\xA0\xE5\xA5\xBD", "\xEF\xAC\x81le", "\xCC\x81", "\xE2\x83\xA3", "\xEF\xB7\xBA",
  };
  return p;
}

std::string random_draft(std::mt19937& rng, size_t max_pieces) {
  const auto& p = pieces();
  std::string s;
  const size_t n = rng() % (max_pieces + 1);
  for (size_t k = 0; k < n; ++k) {
    const auto roll = rng() % 10;
    if (roll < 2) {
      s += ' ';
    } else if (roll < 4) {
      // runs of random printable ASCII (letters, digits, punctuation): the
      // eight-byte blocks' own edge cases ("@", "Z", "[", "`", "{", "~")
      const size_t len = 1 + rng() % 20;
      for (size_t i = 0; i < len; ++i) s += static_cast<char>(0x20 + rng() % 0x5F);
    } else {
      s += p[rng() % p.size()];
    }
  }
  return s;
}

}  // namespace

TEST_CASE("normalise: the fast paths match the reference path on random drafts", "[normalize][fast-path]") {
  std::mt19937 rng(20261201);
  size_t compared = 0, joined = 0, swapped = 0, non_ascii = 0;
  for (int round = 0; round < 20000; ++round) {
    const std::string s = random_draft(rng, round % 10 == 0 ? 200 : 30);
    if (postguard::text::find_invalid_utf8(s)) continue;  // cannot happen: every piece is valid
    require_same(s);
    ++compared;
    const std::string folded = postguard::text::normalize(s).text;
    joined += folded.find("salary") != std::string::npos || folded.find("pay") != std::string::npos ? 1 : 0;
    swapped += s.find("p4y") != std::string::npos ? 1 : 0;
    for (unsigned char c : s) {
      if (c >= 0x80) {
        ++non_ascii;
        break;
      }
    }
  }
  CHECK(compared == 20000);
  // the drafts do exercise the paths
  CHECK(joined > 5000);
  CHECK(swapped > 1000);
  CHECK(non_ascii > 5000);
}

TEST_CASE("normalise: the fast paths match the reference path on long drafts", "[normalize][fast-path]") {
  // Long stretches of plain text (the blocks' main case) with rare
  // interruptions, and a long document made of many random drafts.
  std::mt19937 rng(7);
  std::string doc;
  while (doc.size() < (1u << 18)) doc += random_draft(rng, 40) + "\n\n";
  require_same(doc);
  std::string plain;
  for (int i = 0; i < 5000; ++i) plain += "The Head Teacher said p a y rise, s.a.l.a.r.y and p4y are FINE. ";
  require_same(plain);
  for (size_t cut = 0; cut < 24; ++cut) require_same(plain.substr(cut, 200 + cut));  // every block alignment
}

TEST_CASE("normalise: the fast paths match the reference path on every corpus text", "[normalize][fast-path]") {
  const std::vector<std::string> texts = pgtest::all_corpus_texts();
  REQUIRE(texts.size() > 2000);  // the dev corpus and the held-out ones were all read
  for (const auto& t : texts) {
    REQUIRE_FALSE(postguard::text::find_invalid_utf8(t).has_value());
    require_same(t);
  }
  // Joined into one long document (how the 1 MB benchmark builds its text).
  std::string all;
  for (const auto& t : texts) all += t + "\n\n";
  require_same(all);
}

TEST_CASE("normalise: word boundaries of arbitrary bytes match the reference", "[normalize][fast-path][words]") {
  // find_word_boundaries takes folded text, but its ASCII segmenter must agree
  // on any valid UTF-8, upper case, tabs and all.
  std::mt19937 rng(99);
  for (int round = 0; round < 20000; ++round) {
    std::string s = random_draft(rng, 25);
    if (rng() % 2) {
      for (char& c : s) {
        if (c == '\t' || c == '\n') c = ' ';
      }
    }
    std::vector<uint8_t> b1, b2;
    std::vector<uint32_t> w1, w2;
    postguard::text::find_word_boundaries(s, b1, w1);
    postguard::text::find_word_boundaries_reference(s, b2, w2);
    INFO("text: [" << s << "]");
    REQUIRE(b1 == b2);
    REQUIRE(w1 == w2);
  }
}

TEST_CASE("normalise: invalid UTF-8 is still rejected before normalising", "[normalize][fast-path][utf8]") {
  // The fast paths assume valid UTF-8; check() must keep refusing anything
  // else, wherever the bad byte falls in an eight-byte block.
  const auto policy = pgtest::bundle_policy();
  const std::string bad[] = {"\xC3", "\xFF", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82"};
  std::mt19937 rng(3);
  for (int round = 0; round < 600; ++round) {
    std::string s = random_draft(rng, 12);
    const size_t at = rng() % (s.size() + 1);
    // keep the bad sequence from landing inside a valid one
    size_t cut = at;
    while (cut > 0 && cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.insert(cut, bad[static_cast<size_t>(round) % 6]);
    INFO("text: [" << s << "]");
    REQUIRE(postguard::text::find_invalid_utf8(s).has_value());
    const auto r = postguard::check(policy, s, pgtest::personal_post());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == postguard::ErrorCode::invalid_utf8);
  }
}
