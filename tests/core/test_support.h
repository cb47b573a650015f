// Shared helpers for the core tests: a fictional trust bundle (so tests do not
// depend on the corpus orgs or on the baseline's wording), compile/check
// wrappers that fail the test with the error text, and UTF-16 helpers.
#pragma once

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "postguard/postguard.h"
#include "text/utf8.h"

namespace pgtest {

using postguard::Context;
using postguard::Finding;
using postguard::Policy;
using postguard::PolicySource;

// Two schools; the first has its own disclaimer, the second inherits the trust's.
inline const char* const kBundle = R"({
  "format": "postguard/1",
  "organisation": {
    "id": "zorblax",
    "name": "Zorblax Quantum Trust",
    "aliases": ["Zorblax Quantum", "ZQT"],
    "handles": ["@ZorblaxQT"],
    "domains": ["zorblax.example.org.uk"],
    "hashtags": ["#ZorblaxTogether"]
  },
  "disclaimer": {"text": "Trust line: these views are mine alone."},
  "schools": [
    {"id": "quill-harbour", "name": "Quill Harbour Primary School", "aliases": ["Quill Harbour", "QHPS"],
     "handles": ["@QuillHarbourPS"], "domains": ["quillharbour.example.sch.uk"], "hashtags": ["#QHfamily"],
     "disclaimer": {"text": "Quill Harbour line: my views, not the school's."}},
    {"id": "marsh-end", "name": "Marsh End Academy", "aliases": ["Marsh End"]}
  ]
})";

inline PolicySource bundle_source() { return {"zorblax.json", kBundle}; }

inline Policy compile_ok(const std::vector<PolicySource>& sources, const std::string& school = {}) {
  auto r = Policy::compile(sources, school);
  if (!r) FAIL("policy did not compile: " << r.error().to_string());
  return std::move(r).value();
}

inline Policy bundle_policy(const std::string& school = "quill-harbour") {
  return compile_ok({bundle_source()}, school);
}

inline Context personal_post(const std::string& school = "quill-harbour") {
  Context c;
  c.school = school;
  c.site = "x.com";
  c.surface = "post";
  c.account = "personal";
  return c;
}

inline std::vector<Finding> check_ok(const Policy& p, const std::string& text, const Context& ctx) {
  auto r = postguard::check(p, text, ctx);
  if (!r) FAIL("check failed: " << r.error().to_string());
  return std::move(r).value();
}

inline std::vector<Finding> of_rule(const std::vector<Finding>& all, const std::string& rule) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

inline std::vector<Finding> of_category(const std::vector<Finding>& all, const std::string& cat) {
  std::vector<Finding> out;
  for (const auto& f : all) {
    if (f.category == cat) out.push_back(f);
  }
  return out;
}

inline uint32_t u16(const std::string& s) { return postguard::text::utf16_length(s); }

// The UTF-8 bytes of `text` between UTF-16 offsets [start, end).
inline std::string slice16(const std::string& text, uint32_t start, uint32_t end) {
  std::string out;
  uint32_t pos = 0;
  for (size_t i = 0; i < text.size();) {
    size_t j = i;
    const char32_t c = postguard::text::decode_utf8(text, j);
    const uint32_t units = postguard::text::utf16_length(c);
    if (pos >= start && pos + units <= end) out.append(text, i, j - i);
    pos += units;
    i = j;
  }
  return out;
}

// Offsets where a UTF-16 code point starts (plus the end), for "never inside a
// surrogate pair" checks.
inline std::vector<bool> code_point_starts16(const std::string& text) {
  std::vector<bool> out(u16(text) + 1, false);
  uint32_t pos = 0;
  for (size_t i = 0; i < text.size();) {
    out[pos] = true;
    pos += postguard::text::utf16_length(postguard::text::decode_utf8(text, i));
  }
  out[pos] = true;
  return out;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) FAIL("cannot read " << path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::string corpus_dir() { return POSTGUARD_CORPUS_DIR; }
inline std::string source_dir() { return POSTGUARD_SOURCE_DIR; }

}  // namespace pgtest
