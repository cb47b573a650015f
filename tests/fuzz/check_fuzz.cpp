// Fuzzes check(): the first two bytes choose the context (surface, account,
// images, site), the rest is the draft. Policy: baseline + the tarka bundle
// from the corpus, school bideford-road. Invariants checked on every input:
//  - invalid UTF-8 gives ErrorCode::invalid_utf8, valid UTF-8 gives findings;
//  - every finding and fix lies inside the draft (UTF-16), findings sorted;
//  - the normaliser's map is monotone and inside the draft.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "postguard/postguard.h"
#include "text/normalized_text.h"
#include "text/utf8.h"

namespace {

const postguard::Policy* g_policy = nullptr;

void expect(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const std::string path = std::string(POSTGUARD_CORPUS_DIR) + "/orgs/tarka.json";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  auto r = postguard::Policy::compile({{path, ss.str()}}, "bideford-road");
  if (!r) {
    fprintf(stderr, "check_fuzz: %s\n", r.error().to_string().c_str());
    std::abort();
  }
  g_policy = new postguard::Policy(std::move(r).value());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const char* const surfaces[] = {"post", "comment", "dm", "bio"};
  static const char* const sites[] = {"x.com", "facebook.com", "web.whatsapp.com", "instagram.com"};
  postguard::Context ctx;
  ctx.school = "bideford-road";
  ctx.surface = surfaces[data[0] & 3];
  ctx.account = (data[0] & 4) ? "official" : "personal";
  ctx.images = (data[0] >> 3) & 3;
  ctx.site = sites[(data[1]) & 3];
  const std::string text(reinterpret_cast<const char*>(data + 2), size - 2);

  const bool valid = !postguard::text::find_invalid_utf8(text).has_value();
  auto r = postguard::check(*g_policy, text, ctx);
  if (!valid) {
    expect(!r.ok() && r.error().code == postguard::ErrorCode::invalid_utf8);
    return 0;
  }
  expect(r.ok());
  const uint32_t len16 = postguard::text::utf16_length(text);
  uint32_t last_start = 0;
  for (const auto& f : r.value()) {
    expect(f.start <= f.end && f.end <= len16);
    expect(f.start >= last_start);
    last_start = f.start;
    expect(!f.rule.empty() && !f.category.empty() && !f.message.empty());
    if (f.fix) expect(f.fix->start <= f.fix->end && f.fix->end <= len16);
  }
  (void)postguard::findings_to_json(r.value());

  const auto nt = postguard::text::normalize(text);
  expect(nt.length16 == len16);
  expect(nt.src_start.size() == nt.size() && nt.src_end.size() == nt.size());
  expect(nt.boundary.size() == nt.size() + 1);
  for (size_t i = 0; i < nt.size(); ++i) {
    expect(nt.src_start[i] < nt.src_end[i] && nt.src_end[i] <= len16);
    if (i) expect(nt.src_start[i - 1] <= nt.src_start[i] && nt.src_end[i - 1] <= nt.src_end[i]);
  }
  return 0;
}
