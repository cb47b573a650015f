#include "policy/merged_packs.h"

namespace postguard::policy {
namespace {

using match::ByteReader;
using match::ByteWriter;

void put(ByteWriter& out, const std::string& s) { out.string(s); }
void put(ByteWriter& out, int v) { out.u32(static_cast<uint32_t>(v)); }
void put(ByteWriter& out, const Origin& o) {
  put(out, o.layer);
  put(out, o.file);
  put(out, o.pointer);
}
void put(ByteWriter& out, const Phrase& p) {
  put(out, p.text);
  put(out, p.from);
}
void put(ByteWriter& out, const Condition& c);
// A list: its length, then each element.
template <class T>
void put(ByteWriter& out, const std::vector<T>& list) {
  out.u32(static_cast<uint32_t>(list.size()));
  for (const auto& x : list) put(out, x);
}
void put(ByteWriter& out, const Condition& c) {
  put(out, c.sets);
  put(out, c.within);
  put(out, static_cast<int>(c.side));
}

// Reading: every count is bounded by the bytes left, so a damaged length
// cannot ask for a huge allocation before the reader notices.
class Reader {
 public:
  explicit Reader(ByteReader& in) : in_(in) {}
  bool ok() const { return in_.ok(); }

  void get(std::string& s) { s = std::string(in_.string()); }
  void get(int& v) { v = static_cast<int>(in_.u32()); }
  void get(Origin& o) {
    get(o.layer);
    get(o.file);
    get(o.pointer);
  }
  bool count(size_t& n) {
    n = in_.u32();
    return in_.ok() && n <= (1u << 20);
  }
  void get(Phrase& p) {
    get(p.text);
    get(p.from);
  }
  void get(Condition& c) {
    get(c.sets);
    get(c.within);
    int side = 0;
    get(side);
    if (side < 0 || side > static_cast<int>(Condition::Side::after)) side = 0;
    c.side = static_cast<Condition::Side>(side);
  }
  template <class T>
  void get(std::vector<T>& list) {
    size_t n = 0;
    if (!count(n)) return;
    list.resize(n);
    for (auto& x : list) get(x);
  }

 private:
  ByteReader& in_;
};

}  // namespace

void save_merged_packs(const MergedPolicy& m, ByteWriter& out) {
  out.u32(static_cast<uint32_t>(m.sets.size()));
  for (const auto& [name, set] : m.sets) {
    put(out, name);
    put(out, set.phrases);
    put(out, set.regexes);
  }
  out.u32(static_cast<uint32_t>(m.rules.size()));
  for (const auto& r : m.rules) {
    for (const std::string* s : {&r.id, &r.type, &r.category, &r.names, &r.fix}) put(out, *s);
    put(out, r.enabled.value ? 1 : 0);
    put(out, r.enabled.from);
    put(out, static_cast<int>(r.severity.value));
    put(out, r.severity.from);
    put(out, r.message.value);
    put(out, r.message.from);
    put(out, r.policy_ref.value);
    put(out, r.policy_ref.from);
    for (const auto* list : {&r.match, &r.patterns, &r.require}) put(out, *list);
    put(out, r.near);
    put(out, r.unless);
    for (const auto* list : {&r.when.surfaces, &r.when.accounts, &r.when.sites}) put(out, *list);
    put(out, r.when.min_images);
    put(out, r.from);
  }
}

bool load_merged_packs(ByteReader& in, MergedPolicy& m) {
  Reader rd(in);
  size_t sets = 0;
  if (!rd.count(sets)) return false;
  for (size_t i = 0; i < sets && rd.ok(); ++i) {
    std::string name;
    rd.get(name);
    PhraseSet& set = m.sets[name];
    rd.get(set.phrases);
    rd.get(set.regexes);
  }
  size_t rules = 0;
  if (!rd.count(rules)) return false;
  m.rules.resize(rules);
  for (auto& r : m.rules) {
    if (!rd.ok()) return false;
    for (std::string* s : {&r.id, &r.type, &r.category, &r.names, &r.fix}) rd.get(*s);
    int enabled = 0, severity = 0;
    rd.get(enabled);
    r.enabled.value = enabled != 0;
    rd.get(r.enabled.from);
    rd.get(severity);
    if (severity < 0 || severity > static_cast<int>(Severity::block)) return false;
    r.severity.value = static_cast<Severity>(severity);
    rd.get(r.severity.from);
    rd.get(r.message.value);
    rd.get(r.message.from);
    rd.get(r.policy_ref.value);
    rd.get(r.policy_ref.from);
    for (auto* list : {&r.match, &r.patterns, &r.require}) rd.get(*list);
    rd.get(r.near);
    rd.get(r.unless);
    for (auto* list : {&r.when.surfaces, &r.when.accounts, &r.when.sites}) rd.get(*list);
    rd.get(r.when.min_images);
    rd.get(r.from);
  }
  return rd.ok();
}

Result<MergedPolicy> merge_packs_without_phrases() {
  auto m = merge({}, "", PackPhrases::skip);
  if (!m) return m;
  // Only what the packs give: merge() also sets the default disclaimer and
  // records its (empty) inputs, which every merge sets again itself.
  MergedPolicy packs;
  packs.sets = std::move(m.value().sets);
  packs.rules = std::move(m.value().rules);
  return packs;
}

}  // namespace postguard::policy
