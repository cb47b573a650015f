// Speed of the rules core (issue 2 quality bars), with the floor and the naive
// checker measured in the same run:
//   check     postguard::check, baseline + shared/corpus/orgs/tarka.json, school bideford-road
//   floor     ICU NFKC_Casefold normalisation alone: the least any ICU-based checker must spend
//             on the draft as it arrives (UTF-8). Measured two ways, in the same run:
//               floor_utf8   Normalizer2::normalizeUTF8, UTF-8 in, UTF-8 out (ICU's UTF-8 path)
//               floor_utf16  u_strFromUTF8 + unorm2_normalize (convert, then ICU's UTF-16 path)
//             and the floor is the cheaper of the two for each text. No confusables, no
//             offset map, no word breaks, no matching: those are the checker's own work, so
//             "check / floor" says how many normalisations' worth the whole check costs.
//   naive     one std::regex per phrase of every phrase set in shared-rules/packs/*.json,
//             word boundaries, case-insensitive (ECMAScript), all matches found
//   compile   Policy::compile of baseline + bundle
// Texts: a 280-character post, a 2,000-character post and a 1 MB document,
// built from the corpus texts (shared/corpus/dev.jsonl, read at run time).
// At the end a summary prints the figures, the ratios and the targets.
#include <benchmark/benchmark.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <time.h>

#include <nlohmann/json.hpp>

#include "postguard/postguard.h"
#include "engine/compiled_policy.h"
#include "match/regex_prefilter.h"
#include "rules/hits.h"
#include "text/normalized_text.h"
#include "text/utf8.h"

namespace {

using nlohmann::json;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "core_bench: cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string corpus_dir() {
  const char* env = std::getenv("POSTGUARD_CORPUS_DIR");
  return env && *env ? env : POSTGUARD_CORPUS_DIR;
}

std::vector<std::string> corpus_texts() {
  std::vector<std::string> out;
  std::istringstream in(read_file(corpus_dir() + "/dev.jsonl"));
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("text") && j["text"].is_string()) out.push_back(j["text"].get<std::string>());
  }
  return out;
}

// The first `chars` code points of the corpus texts joined by blank lines.
std::string text_of_chars(size_t chars) {
  static const std::vector<std::string> texts = corpus_texts();
  std::string all;
  size_t cps = 0;
  for (size_t k = 0; cps < chars; k = (k + 1) % texts.size()) {
    const std::string piece = (all.empty() ? "" : "\n\n") + texts[k];
    for (size_t i = 0; i < piece.size() && cps < chars;) {
      size_t j = i;
      postguard::text::decode_utf8(piece, j);
      all.append(piece, i, j - i);
      ++cps;
      i = j;
    }
  }
  return all;
}

std::string text_of_bytes(size_t bytes) {
  static const std::vector<std::string> texts = corpus_texts();
  std::string all;
  all.reserve(bytes + 4096);
  for (size_t k = 0; all.size() < bytes; k = (k + 1) % texts.size()) all += texts[k] + "\n\n";
  return all;
}

struct Texts {
  std::string post280 = text_of_chars(280);
  std::string post2000 = text_of_chars(2000);
  std::string doc1mb = text_of_bytes(1u << 20);
  const std::string& get(int which) const { return which == 0 ? post280 : which == 1 ? post2000 : doc1mb; }
};
const Texts& texts() {
  static const Texts t;
  return t;
}
const char* kSizeName[] = {"280 chars", "2000 chars", "1 MB"};

std::vector<postguard::PolicySource> sources() {
  const std::string path = corpus_dir() + "/orgs/tarka.json";
  return {{path, read_file(path)}};
}

const postguard::Policy& policy() {
  static const postguard::Policy p = [] {
    auto r = postguard::Policy::compile(sources(), "bideford-road");
    if (!r) {
      std::fprintf(stderr, "core_bench: %s\n", r.error().to_string().c_str());
      std::exit(2);
    }
    return std::move(r).value();
  }();
  return p;
}

postguard::Context context() {
  postguard::Context c;
  c.school = "bideford-road";
  c.site = "x.com";
  return c;
}

// CPU time of this thread: the machine is shared, so wall time includes other
// people's work; the summary and the targets use CPU time.
double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

// ---- check ---------------------------------------------------------------
void BM_Check(benchmark::State& state) {
  const std::string& text = texts().get(static_cast<int>(state.range(0)));
  const auto& p = policy();
  const auto ctx = context();
  std::vector<double> us, wall;
  size_t findings = 0;
  for (auto _ : state) {
    const auto w0 = std::chrono::steady_clock::now();
    const double t0 = thread_cpu_us();
    auto r = postguard::check(p, text, ctx);
    const double t1 = thread_cpu_us();
    const auto w1 = std::chrono::steady_clock::now();
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
    findings = r.value().size();
    benchmark::DoNotOptimize(r);
    us.push_back(t1 - t0);
    wall.push_back(std::chrono::duration<double, std::micro>(w1 - w0).count());
  }
  if (!us.empty()) {
    std::sort(us.begin(), us.end());
    std::sort(wall.begin(), wall.end());
    state.counters["median_us"] = us[us.size() / 2];  // CPU
    state.counters["p99_us"] = us[std::min(us.size() - 1, us.size() * 99 / 100)];
    state.counters["wall_median_us"] = wall[wall.size() / 2];
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(text.size()) * static_cast<double>(state.iterations()) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.SetLabel(kSizeName[state.range(0)]);
}
BENCHMARK(BM_Check)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

// ---- the check's own normalising stage -----------------------------------
// postguard::text::normalize: NFKC case fold, confusables, spaced letters,
// digit swaps, the UTF-16 offset map and word breaks (the first stage of
// every check), to say how much of the check it is.
void BM_Normalize(benchmark::State& state) {
  const std::string& text = texts().get(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto nt = postguard::text::normalize(text);
    benchmark::DoNotOptimize(nt);
  }
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(text.size()) * static_cast<double>(state.iterations()) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.SetLabel(kSizeName[state.range(0)]);
}
BENCHMARK(BM_Normalize)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

// ---- the regex pass alone ------------------------------------------------
// Every regex of the built-in packs (shared-rules/packs/*.json) in one shared
// pass over the folded text, as a check runs them: by testing every byte
// against every regex's start set (mode 0, byte scan) or literal-first
// (mode 1: each regex only around the literals its matches must hold; see
// match/regex_factors.h). Both find the same spans; this says what each costs.
struct PackRegexes {
  std::vector<postguard::CompiledRegex> regexes;
  PackRegexes() {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(std::string(POSTGUARD_SOURCE_DIR) + "/shared-rules/packs")) {
      if (e.path().extension() == ".json") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
    std::vector<std::string> patterns;
    for (const auto& f : files) {
      const json j = json::parse(read_file(f));
      // Named copies: items() of a temporary would dangle inside the range-for.
      const json sets = j.value("sets", json::object()), rules = j.value("rules", json::array());
      for (const auto& [_, set] : sets.items()) {
        const json regex = set.value("regex", json::array());
        for (const auto& r : regex) patterns.push_back(r.get<std::string>());
      }
      for (const auto& rule : rules) {
        const json list = rule.value("patterns", json::array());
        for (const auto& r : list) patterns.push_back(r.get<std::string>());
      }
    }
    std::sort(patterns.begin(), patterns.end());
    patterns.erase(std::unique(patterns.begin(), patterns.end()), patterns.end());
    for (const auto& p : patterns) {
      regexes.push_back({std::make_shared<const postguard::LazyPattern>(p), postguard::match::start_set(p)});
    }
  }
};

void BM_RegexPass(benchmark::State& state) {
  static const PackRegexes packs;
  const std::string& text = texts().get(static_cast<int>(state.range(0)));
  const auto how = state.range(1) == 0 ? postguard::rules::RegexPass::byte_scan : postguard::rules::RegexPass::literal_first;
  const std::string folded = postguard::text::normalize(text).text;  // RegexInput views it
  const postguard::rules::RegexInput in(folded);
  std::vector<std::vector<postguard::rules::Span>> out(packs.regexes.size());
  std::vector<postguard::rules::RegexJob> jobs;
  for (size_t k = 0; k < packs.regexes.size(); ++k) jobs.push_back({&packs.regexes[k], &out[k]});
  postguard::rules::find_all(jobs, in, how);  // ICU compiles each pattern once, outside the timing
  size_t spans = 0;
  for (auto _ : state) {
    for (auto& v : out) v.clear();
    postguard::rules::find_all(jobs, in, how);
    benchmark::DoNotOptimize(out);
  }
  for (const auto& v : out) spans += v.size();
  state.counters["spans"] = static_cast<double>(spans);
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(text.size()) * static_cast<double>(state.iterations()) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.SetLabel(std::string(kSizeName[state.range(0)]) + (state.range(1) == 0 ? ", byte scan" : ", literal-first"));
}
BENCHMARK(BM_RegexPass)->ArgsProduct({{0, 1, 2}, {0, 1}})->Unit(benchmark::kMicrosecond);

// ---- floor: ICU NFKC case folding alone ----------------------------------
// UTF-8 -> UTF-16 conversion (into a reused buffer) + NFKC_Casefold over UTF-16.
void BM_FloorUtf16(benchmark::State& state) {
  const std::string& text = texts().get(static_cast<int>(state.range(0)));
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* norm = unorm2_getNFKCCasefoldInstance(&status);
  std::u16string in(text.size() + 16, u'\0');
  std::u16string out(text.size() * 3 + 16, u'\0');
  for (auto _ : state) {
    status = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8(in.data(), static_cast<int32_t>(in.size()), &n16, text.data(), static_cast<int32_t>(text.size()), &status);
    const int32_t n = unorm2_normalize(norm, in.data(), n16, out.data(), static_cast<int32_t>(out.size()), &status);
    benchmark::DoNotOptimize(n);
    benchmark::ClobberMemory();
    if (U_FAILURE(status)) {
      state.SkipWithError(u_errorName(status));
      break;
    }
  }
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(text.size()) * static_cast<double>(state.iterations()) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.SetLabel(kSizeName[state.range(0)]);
}
BENCHMARK(BM_FloorUtf16)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

// NFKC_Casefold straight from UTF-8 to UTF-8 (into a reused buffer).
void BM_FloorUtf8(benchmark::State& state) {
  const std::string& text = texts().get(static_cast<int>(state.range(0)));
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* norm = icu::Normalizer2::getNFKCCasefoldInstance(status);
  std::string out(text.size() * 3 + 16, '\0');
  for (auto _ : state) {
    status = U_ZERO_ERROR;
    icu::CheckedArrayByteSink sink(out.data(), static_cast<int32_t>(out.size()));
    norm->normalizeUTF8(0, icu::StringPiece(text.data(), static_cast<int32_t>(text.size())), sink, nullptr, status);
    benchmark::DoNotOptimize(sink.NumberOfBytesWritten());
    benchmark::ClobberMemory();
    if (U_FAILURE(status) || sink.Overflowed()) {
      state.SkipWithError(U_FAILURE(status) ? u_errorName(status) : "output buffer too small");
      break;
    }
  }
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(text.size()) * static_cast<double>(state.iterations()) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.SetLabel(kSizeName[state.range(0)]);
}
BENCHMARK(BM_FloorUtf8)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

// ---- naive: one std::regex per phrase ------------------------------------
// Pack phrase syntax: "word*" any ending, "=word" exact, "{a|b}" choices,
// "{1-13}" number ranges. Translated to one ECMAScript regex per phrase.
std::string escape(char c) {
  static const std::string special = "\\^$.|?*+()[]{}/";
  return special.find(c) != std::string::npos ? std::string("\\") + c : std::string(1, c);
}

std::string choice(const std::string& body) {
  std::vector<std::string> alts;
  std::string cur;
  for (char c : body) {
    if (c == '|') {
      alts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  alts.push_back(cur);
  std::string out = "(?:";
  bool first = true;
  for (const auto& a : alts) {
    std::vector<std::string> items;
    const auto dash = a.find('-');
    if (dash != std::string::npos && dash > 0 && std::all_of(a.begin(), a.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '-'; })) {
      const int lo = std::stoi(a.substr(0, dash)), hi = std::stoi(a.substr(dash + 1));
      for (int n = lo; n <= hi; ++n) items.push_back(std::to_string(n));
    } else {
      std::string e;
      for (char c : a) e += escape(c);
      items.push_back(e);
    }
    for (const auto& i : items) {
      out += (first ? "" : "|") + i;
      first = false;
    }
  }
  return out + ")";
}

std::string to_regex(std::string phrase) {
  if (!phrase.empty() && phrase[0] == '=') phrase.erase(0, 1);
  bool prefix = false;
  if (!phrase.empty() && phrase.back() == '*') {
    prefix = true;
    phrase.pop_back();
  }
  std::string out = "\\b";
  for (size_t i = 0; i < phrase.size(); ++i) {
    if (phrase[i] == '{') {
      const auto close = phrase.find('}', i);
      if (close != std::string::npos) {
        out += choice(phrase.substr(i + 1, close - i - 1));
        i = close;
        continue;
      }
    }
    out += escape(phrase[i]);
  }
  return out + (prefix ? "\\w*" : "\\b");
}

struct Naive {
  std::vector<std::regex> regexes;
  size_t phrases = 0, failed = 0;
};

const Naive& naive() {
  static const Naive n = [] {
    Naive out;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(std::string(POSTGUARD_SOURCE_DIR) + "/shared-rules/packs")) {
      if (e.path().extension() == ".json") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      const json d = json::parse(read_file(f.string()));
      if (!d.contains("sets")) continue;
      for (const auto& [name, set] : d["sets"].items()) {
        if (!set.contains("phrases")) continue;
        for (const auto& p : set["phrases"]) {
          ++out.phrases;
          try {
            out.regexes.emplace_back(to_regex(p.get<std::string>()),
                                     std::regex::ECMAScript | std::regex::icase | std::regex::optimize);
          } catch (const std::regex_error&) {
            ++out.failed;
          }
        }
      }
    }
    return out;
  }();
  return n;
}

void BM_Naive(benchmark::State& state) {
  const std::string& text = texts().get(static_cast<int>(state.range(0)));
  const Naive& n = naive();
  size_t matches = 0;
  for (auto _ : state) {
    matches = 0;
    for (const auto& re : n.regexes) {
      for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it) ++matches;
    }
    benchmark::DoNotOptimize(matches);
  }
  state.counters["regexes"] = static_cast<double>(n.regexes.size());
  state.counters["matches"] = static_cast<double>(matches);
  state.counters["MB/s"] = benchmark::Counter(static_cast<double>(text.size()) * static_cast<double>(state.iterations()) / 1e6,
                                              benchmark::Counter::kIsRate);
  state.SetLabel(kSizeName[state.range(0)]);
}
// The 1 MB document is left out: thousands of std::regex passes over it take minutes.
BENCHMARK(BM_Naive)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// ---- compile -------------------------------------------------------------
void BM_Compile(benchmark::State& state) {
  const auto src = sources();
  for (auto _ : state) {
    auto r = postguard::Policy::compile(src, "bideford-road");
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(r);
  }
  state.SetLabel("baseline + tarka.json");
}
BENCHMARK(BM_Compile)->Unit(benchmark::kMillisecond);

// ---- summary -------------------------------------------------------------
class SummaryReporter : public benchmark::ConsoleReporter {
 public:
  struct Figure {
    double us = 0;       // CPU time per iteration
    double wall_us = 0;  // real time per iteration
    std::map<std::string, double> counters;
  };
  std::map<std::string, Figure> figures;

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const auto& r : runs) {
      if (r.error_occurred) continue;
      // With repetitions keep the median aggregate, else the single run.
      if (r.run_type == Run::RT_Aggregate && r.aggregate_name != "median") continue;
      const std::string name = r.run_name.str();
      const double unit = r.time_unit == benchmark::kMillisecond ? 1000.0
                          : r.time_unit == benchmark::kNanosecond ? 0.001
                          : r.time_unit == benchmark::kSecond     ? 1e6
                                                                  : 1.0;
      Figure f;
      f.us = r.GetAdjustedCPUTime() * unit;
      f.wall_us = r.GetAdjustedRealTime() * unit;
      for (const auto& [k, c] : r.counters) f.counters[k] = c.value;
      figures[name] = f;
    }
  }
};

void print_summary(const SummaryReporter& rep) {
  auto get = [&](const std::string& name) -> const SummaryReporter::Figure* {
    auto it = rep.figures.find(name);
    return it == rep.figures.end() ? nullptr : &it->second;
  };
  // The floor for text k: the cheaper of the two ways ICU can normalise the draft.
  auto floor_us = [&](int k, const char** how) -> double {
    const auto* a = get("BM_FloorUtf8/" + std::to_string(k));
    const auto* b = get("BM_FloorUtf16/" + std::to_string(k));
    if (!a && !b) return 0;
    if (a && (!b || a->us <= b->us)) {
      *how = "utf8";
      return a->us;
    }
    *how = "utf16";
    return b->us;
  };
  auto fmt = [](double v, const char* f) {
    char buf[32];
    std::snprintf(buf, sizeof buf, f, v);
    return std::string(buf);
  };
  const Naive& n = naive();
  std::printf("\n== PostGuard core speed summary (baseline + tarka.json, school bideford-road) ==\n");
  std::printf("naive checker: %zu std::regex (of %zu pack phrases; %zu did not translate)\n", n.regexes.size(),
              n.phrases, n.failed);
  std::printf("floor: ICU NFKC_Casefold of the UTF-8 draft, the cheaper of normalizeUTF8 (utf8) and\n"
              "       u_strFromUTF8 + unorm2_normalize (utf16); no confusables, offset map, word breaks or matching\n");
  std::printf("times are CPU time of the benchmark thread (the machine is shared; wall times below)\n\n");
  std::printf("%-11s %11s %11s %9s %10s %10s %11s %10s %10s\n", "text", "check us", "median us", "MB/s", "utf8 us",
              "utf16 us", "naive us", "check/flr", "naive/chk");
  for (int k = 0; k < 3; ++k) {
    const std::string arg = "/" + std::to_string(k);
    const auto* c = get("BM_Check" + arg);
    const auto* f8 = get("BM_FloorUtf8" + arg);
    const auto* f16 = get("BM_FloorUtf16" + arg);
    const auto* v = get("BM_Naive" + arg);
    if (!c) continue;
    const char* how = "";
    const double fl = floor_us(k, &how);
    const double mbs = c->counters.count("MB/s") ? c->counters.at("MB/s") : 0;  // a rate: MB per CPU second
    std::printf("%-11s %11.1f %11.1f %9.1f %10s %10s %11s %10s %10s\n", kSizeName[k], c->us,
                c->counters.count("median_us") ? c->counters.at("median_us") : 0.0, mbs,
                f8 ? fmt(f8->us, "%.2f").c_str() : "-", f16 ? fmt(f16->us, "%.2f").c_str() : "-",
                v ? fmt(v->us, "%.0f").c_str() : "-", fl > 0 ? (fmt(c->us / fl, "%.1f") + " " + how).c_str() : "-",
                v ? fmt(v->us / c->us, "%.1f").c_str() : "-");
  }
  for (int k = 0; k < 3; ++k) {
    if (const auto* c = get("BM_Check/" + std::to_string(k))) {
      std::printf("  (%s check wall: mean %.1f us, median %.1f us)\n", kSizeName[k], c->wall_us,
                  c->counters.count("wall_median_us") ? c->counters.at("wall_median_us") : 0.0);
    }
  }
  for (int k = 0; k < 3; ++k) {
    const auto* c = get("BM_Check/" + std::to_string(k));
    const auto* nz = get("BM_Normalize/" + std::to_string(k));
    if (c && nz) {
      std::printf("  (%s: normalising stage %.1f us = %.0f%% of the check; matching and rules the rest)\n", kSizeName[k],
                  nz->us, 100.0 * nz->us / c->us);
    }
  }
  if (const auto* comp = get("BM_Compile")) {
    std::printf("policy compile: %.2f ms CPU (%.2f ms wall)\n", comp->us / 1000.0, comp->wall_us / 1000.0);
  }

  // Targets.
  std::printf("\n%-44s %14s %10s %6s\n", "target", "measured", "goal", "met");
  bool all = true;
  auto row = [&](const char* what, double value, const char* goal, bool ok, const char* unit) {
    std::printf("%-44s %11.2f %-3s %9s %6s\n", what, value, unit, goal, ok ? "yes" : "NO");
    all = all && ok;
  };
  if (const auto* c = get("BM_Check/0"); c && c->counters.count("median_us")) {
    row("280 chars: median check time", c->counters.at("median_us"), "<= 50", c->counters.at("median_us") <= 50, "us");
  }
  if (const auto* c = get("BM_Check/2"); c && c->counters.count("MB/s")) {
    const double mbs = c->counters.at("MB/s");
    row("1 MB: throughput", mbs, ">= 50", mbs >= 50, "MB/s");
  }
  for (int k = 0; k < 3; ++k) {
    const auto* c = get("BM_Check/" + std::to_string(k));
    const char* how = "";
    const double fl = floor_us(k, &how);
    if (!c || fl <= 0) continue;
    const std::string what = std::string(kSizeName[k]) + ": check / normalisation floor";
    row(what.c_str(), c->us / fl, "<= 4", c->us / fl <= 4, "x");
  }
  for (int k = 0; k < 2; ++k) {
    const auto* c = get("BM_Check/" + std::to_string(k));
    const auto* v = get("BM_Naive/" + std::to_string(k));
    if (!c || !v) continue;
    const std::string what = std::string(kSizeName[k]) + ": naive / check";
    row(what.c_str(), v->us / c->us, ">= 20", v->us / c->us >= 20, "x");
  }
  std::printf("%s\n", all ? "all targets met" : "some targets NOT met");
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Build texts, policy and regexes before timing anything.
  (void)texts();
  (void)policy();
  (void)naive();
  std::printf("texts: 280 chars = %zu bytes, 2000 chars = %zu bytes, 1 MB = %zu bytes (from %s/dev.jsonl)\n",
              texts().post280.size(), texts().post2000.size(), texts().doc1mb.size(), corpus_dir().c_str());
  SummaryReporter rep;
  benchmark::RunSpecifiedBenchmarks(&rep);
  print_summary(rep);
  benchmark::Shutdown();
  return 0;
}
