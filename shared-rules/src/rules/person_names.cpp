// People in the draft, found from the folded text plus the original case:
//  name.first  - a capitalised given name (from the `first_names` set);
//  name.full   - a given name followed by a capitalised surname;
//  name.titled - "Mr Pascoe", "Dr Priya Mistry": an adult named with a title;
//  handle.other - an @handle that is not the employer's or an official account;
//  addressed_to_adult (a pack set) - the opening greets an adult reader.
#include <algorithm>
#include <cstring>

#include "rules/hits.h"

namespace postguard::rules {
namespace {

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80; }

// End of the word starting at `q` (ICU boundaries; keeps "o'brien" whole),
// joined across hyphens to capitalised parts ("Osei-Mensah", "Lily-Mae").
uint32_t word_end(const text::NormalizedText& nt, uint32_t q) {
  const uint32_t n = static_cast<uint32_t>(nt.size());
  uint32_t r = q;
  while (r < n && (r == q || !nt.boundary[r])) ++r;
  while (r + 1 < n && nt.text[r] == '-' && is_letter(nt.text[r + 1]) && nt.upper[r + 1]) {
    r += 2;
    while (r < n && !nt.boundary[r]) ++r;
  }
  return r;
}

bool capitalised_word_at(const text::NormalizedText& nt, uint32_t q) {
  return q < nt.size() && is_letter(nt.text[q]) && nt.upper[q] && nt.boundary[q];
}

// Where the surname would start after a given name ending at `e` (a space):
// e + 1, or past a capitalised nickname in quotes ("Dan 'Smudge' Smith",
// "Olivia \"Liv\" Hartley"; curly quotes fold to these). Returns 0 when
// no surname can follow.
uint32_t surname_start(const text::NormalizedText& nt, uint32_t e) {
  const uint32_t n = static_cast<uint32_t>(nt.size());
  if (e + 1 >= n || nt.text[e] != ' ') return 0;
  const char quote = nt.text[e + 1];
  if (quote != '\'' && quote != '"') return e + 1;
  const uint32_t q = e + 2;
  if (!capitalised_word_at(nt, q)) return 0;
  uint32_t r = q;
  while (r < n && is_letter(nt.text[r])) ++r;
  if (r + 2 >= n || nt.text[r] != quote || nt.text[r + 1] != ' ') return 0;
  return r + 2;
}

// Shouting ("GRACE") says nothing about names.
bool all_caps(const text::NormalizedText& nt, uint32_t b, uint32_t e) {
  if (e - b < 2) return false;
  for (uint32_t i = b; i < e; ++i) {
    if (nt.text[i] >= 'a' && nt.text[i] <= 'z' && !nt.upper[i]) return false;
  }
  return true;
}

bool starts_with_any(const std::vector<Span>& spans, uint32_t q) {
  return std::binary_search(spans.begin(), spans.end(), Span{q, 0},
                            [](const Span& a, const Span& b) { return a.begin < b.begin; });
}

// The span of `v` (sorted) starting at q, or nullptr.
const Span* starting_at(const std::vector<Span>& v, uint32_t q) {
  auto it = std::lower_bound(v.begin(), v.end(), Span{q, 0});
  const Span* best = nullptr;
  for (; it != v.end() && it->begin == q; ++it) best = &*it;  // the longest
  return best;
}

bool word_is(const text::NormalizedText& nt, uint32_t q, const char* w) {
  const size_t k = std::strlen(w);
  return nt.text.compare(q, k, w) == 0 && (q + k >= nt.size() || !is_letter(nt.text[q + k]));
}

// Who a message is addressed to, read from its opening: a greeting to an
// adult by title ("Hi Mrs Patel", "Dear Mr Evans", "Mrs Okafor, thanks...")
// or as a pupil's parent or the parents ("Hi Freddie's mum", "Dear parents")
// puts the opening into the pack set addressed_to_adult, which the contact
// rules take as an adult reader. "Miss Patel here" and "Mr Okafor from maths"
// introduce the writer, not the reader, and a first name alone says nothing
// either way (staff write "Hi Jake" and "Hi Sue").
void find_adult_addressee(Hits& hits, const std::vector<Span>& titled, const std::vector<Span>& greetings,
                          const std::vector<Span>& parents) {
  const SetId addressed = hits.policy.set(CodeSet::addressed_to_adult);
  if (addressed == kNoSet) return;
  const text::NormalizedText& nt = hits.nt;
  const uint32_t n = static_cast<uint32_t>(nt.size());
  uint32_t q = 0;
  while (q < n && q < 16 && !(nt.text[q] >= 'a' && nt.text[q] <= 'z')) ++q;  // leading emoji, quotes, spaces
  if (q >= n || (q > 0 && !nt.boundary[q])) return;
  const Span* greeting = starting_at(greetings, q);
  uint32_t at = q;
  if (greeting) {
    at = greeting->end;
    while (at < n && (nt.text[at] == ' ' || nt.text[at] == ',')) ++at;
  }
  auto next_word = [&](uint32_t e) {
    while (e < n && (nt.text[e] == ' ' || nt.text[e] == '.')) ++e;
    return e;
  };
  Span found{0, 0};
  if (const Span* t = starting_at(titled, at)) {
    const uint32_t after = next_word(t->end);
    const bool writer = after < n && (word_is(nt, after, "here") || word_is(nt, after, "from") ||
                                      word_is(nt, after, "speaking"));
    const char c = t->end < n ? nt.text[t->end] : '\n';
    const bool set_off = c == ',' || c == '!' || c == ':' || c == '\n' || t->end >= n ||
                         (t->end + 1 < n && c == ' ' && static_cast<unsigned char>(nt.text[t->end + 1]) >= 0x80);
    if (!writer && (greeting || set_off)) found = Span{q, t->end};
  } else if (greeting) {
    // "Hi Freddie's mum", "Dear parents".
    uint32_t e = at;
    if (capitalised_word_at(nt, e)) {
      const uint32_t r = word_end(nt, e);
      if (r > e + 2 && nt.text.compare(r - 2, 2, "'s") == 0) e = r + 1;
    }
    if (const Span* p = starting_at(parents, e)) found = Span{q, p->end};
  }
  if (found.end <= found.begin) return;
  auto& out = hits.by_set[addressed];  // sorted: a policy may add phrases to it
  out.insert(std::lower_bound(out.begin(), out.end(), found), found);
}

}  // namespace

void find_person_names(Hits& hits) {
  const text::NormalizedText& nt = hits.nt;
  const auto& firsts = hits.of(CodeSet::first_names);
  const auto& titles = hits.of(CodeSet::titles);
  const auto& not_surnames = hits.of(CodeSet::not_surnames);
  auto& full = hits.derived(CodeSet::name_full);
  auto& first = hits.derived(CodeSet::name_first);
  auto& titled = hits.derived(CodeSet::name_titled);

  for (const Span& t : titles) {
    if (!nt.upper[t.begin]) continue;
    uint32_t q = t.end;
    if (q < nt.size() && nt.text[q] == '.') ++q;  // "Mr. Smith"
    if (q < nt.size() && nt.text[q] == ' ') ++q;
    if (!capitalised_word_at(nt, q)) continue;
    uint32_t r = word_end(nt, q);
    // "Dr Priya Mistry": take the surname too.
    if (r + 1 < nt.size() && nt.text[r] == ' ' && capitalised_word_at(nt, r + 1) && starts_with_any(firsts, q)) {
      r = word_end(nt, r + 1);
    }
    titled.push_back({t.begin, r});
  }
  // A capitalised word that is not a known given name but is tagged with a
  // class or year group right after it ("Jamal in 10X", "Zyla Hart (Y4)") is
  // a pupil's name all the same: the lexicon can never hold every name.
  const auto& class_tags = hits.of(CodeSet::class_tag_after_name);
  if (!class_tags.empty()) {
    const uint8_t* const upper = nt.upper.data();
    const size_t n = nt.size();
    for (uint32_t q = 0; q < n; ++q) {
      // Only bytes of upper-case characters can start one: jump to the next
      // (memchr; most bytes are lower case) instead of testing every byte.
      const void* u = std::memchr(upper + q, 1, n - q);
      if (!u) break;
      q = static_cast<uint32_t>(static_cast<const uint8_t*>(u) - upper);
      if (!capitalised_word_at(nt, q) || (q > 0 && !nt.boundary[q])) continue;
      const uint32_t r = word_end(nt, q);
      if (r + 1 >= nt.size() || nt.text[r] != ' ' || !starts_with_any(class_tags, r + 1)) continue;
      if (r - q < 2 || all_caps(nt, q, r) || starts_with_any(not_surnames, q) || starts_with_any(firsts, q)) continue;
      // "Zyla Hart in Year 4": the word before, if it is a capitalised name-like word, is the given name.
      uint32_t b = q;
      if (q >= 2 && nt.text[q - 1] == ' ') {
        uint32_t w = q - 2;
        // "Dan 'Smudge' Smith in 11B": step back over a quoted nickname.
        if (nt.text[w] == '\'' || nt.text[w] == '"') {
          const char quote = nt.text[w];
          uint32_t k = w;
          while (k > 0 && is_letter(nt.text[k - 1])) --k;
          if (k >= 3 && k < w && nt.text[k - 1] == quote && nt.text[k - 2] == ' ' && surname_start(nt, k - 2) == q) w = k - 3;
        }
        while (w > 0 && !nt.boundary[w]) --w;
        const uint32_t we = word_end(nt, w);
        if (capitalised_word_at(nt, w) && surname_start(nt, we) == q && !all_caps(nt, w, we) &&
            !starts_with_any(not_surnames, w)) {
          b = w;
        }
      }
      if (b < q) {
        full.push_back({b, r});
        if (!starts_with_any(firsts, b)) first.push_back({b, word_end(nt, b)});
      } else {
        first.push_back({q, r});
      }
    }
  }
  for (const Span& f : firsts) {
    if (!nt.upper[f.begin] || !nt.boundary[f.begin] || all_caps(nt, f.begin, f.end)) continue;
    const bool is_titled = std::any_of(titled.begin(), titled.end(), [&](const Span& t) {
      return t.begin < f.begin && f.begin < t.end;
    });
    if (is_titled) continue;
    // "St Aidan's Hospice", "Saint Mary's": a saint's name is a church, school or place.
    if ((f.begin >= 3 && nt.text.compare(f.begin - 3, 3, "st ") == 0 && (f.begin == 3 || nt.boundary[f.begin - 3])) ||
        (f.begin >= 4 && nt.text.compare(f.begin - 4, 4, "st. ") == 0 && (f.begin == 4 || nt.boundary[f.begin - 4])) ||
        (f.begin >= 6 && nt.text.compare(f.begin - 6, 6, "saint ") == 0 && (f.begin == 6 || nt.boundary[f.begin - 6]))) {
      continue;
    }
    const uint32_t e = word_end(nt, f.begin);
    first.push_back({f.begin, e});
    if (const uint32_t q = surname_start(nt, e); q != 0 && capitalised_word_at(nt, q)) {
      const uint32_t r = word_end(nt, q);
      // A surname that is also a common word ("Noah Reed", "Lily Brook") is
      // still one when a class or year tag follows it ("Noah Reed in Year 8").
      const bool tagged = r + 1 < nt.size() && nt.text[r] == ' ' && starts_with_any(class_tags, r + 1);
      if (r - q >= 2 && !all_caps(nt, q, r) && (tagged || !starts_with_any(not_surnames, q))) full.push_back({f.begin, r});
    }
  }
  // "John Steinbeck", "Carol Ann Duffy": a full name inside a famous person's
  // name is a topic of study or news, not a pupil; the first name stays.
  const auto& famous = hits.of(CodeSet::famous_people);
  if (!famous.empty()) {
    full.erase(std::remove_if(full.begin(), full.end(), [&](const Span& n) {
                 return std::any_of(famous.begin(), famous.end(),
                                    [&](const Span& f) { return f.begin <= n.begin && n.begin < f.end; });
               }),
               full.end());
  }
  for (auto* v : {&first, &full}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  find_adult_addressee(hits, titled, hits.of(CodeSet::greeting_word), hits.of(CodeSet::parent_word));
}

void find_other_handles(Hits& hits) {
  const Policy::Impl& p = hits.policy;
  auto& out = hits.derived(CodeSet::handle_other);
  const auto& staff = hits.of(CodeSet::staff_handle);
  for (const Span& h : hits.of(CodeSet::handle_candidates)) {
    if (starts_with_any(staff, h.begin)) continue;
    const std::string_view handle(hits.nt.text.data() + h.begin, h.end - h.begin);
    const bool employers = std::any_of(p.employer_handles.begin(), p.employer_handles.end(),
                                       [&](const std::string& e) { return e == handle; });
    if (!employers) out.push_back(h);
  }
}

}  // namespace postguard::rules
