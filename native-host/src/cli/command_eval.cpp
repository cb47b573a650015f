// Precision and recall per category over a labelled corpus.
#include <iomanip>
#include <map>
#include <ostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "common/file_io.h"
#include "common/i18n.h"

namespace postguard::cli {
namespace {

// The categories the corpus labels (corpus README); others are reported, not scored.
const std::vector<std::string> kScored = {"disclaimer", "pupil_contact", "pupil_privacy", "confidential"};

struct Counts {
  int tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / (tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / (tp + fn); }
};

struct Miss {
  std::string id, category, kind, text;
};

}  // namespace

int command_eval(const std::vector<std::string>& args, Io io) {
  std::string dir, cases_path, format = "text";
  double require = -1;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--policy-dir" || a == "--format" || a == "--require") && i + 1 >= args.size()) {
      io.err << i18n::trf("postguard eval: {1} needs a value", a) << "\n";
      return exit_usage;
    }
    if (a == "--policy-dir") dir = args[++i];
    else if (a == "--format") format = args[++i];
    else if (a == "--require") {
      try {
        require = std::stod(args[++i]);
      } catch (...) {
        io.err << i18n::tr("postguard eval: --require needs a number between 0 and 1") << "\n";
        return exit_usage;
      }
    } else if (!a.empty() && a[0] == '-') {
      io.err << i18n::trf("postguard eval: unknown option {1}", a) << "\n";
      return exit_usage;
    } else cases_path = a;
  }
  if (dir.empty() || cases_path.empty()) {
    io.err << i18n::tr("postguard eval: needs --policy-dir DIR and a CASES file") << "\n\n";
    print_usage(io.err);
    return exit_usage;
  }
  std::string error;
  auto content = io::read_file(cases_path, error);
  if (!content) {
    io.err << i18n::trf("postguard eval: {1}", error) << "\n";
    return exit_usage;
  }
  std::map<std::pair<std::string, std::string>, Result<Policy>> policies;
  std::map<std::string, Counts> counts;
  std::vector<Miss> misses;
  int benign = 0, benign_alarms = 0, total = 0, errors = 0;
  std::istringstream in(*content);
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object() || !doc.contains("text") || !doc["text"].is_string() ||
        !doc.contains("expect") || !doc["expect"].is_array()) {
      io.err << cases_path << ":" << line_no << ": " << i18n::tr("not a labelled case, skipped") << "\n";
      ++errors;
      continue;
    }
    // Labelled corpora are hand-written: tolerate numbers and nulls where strings belong.
    auto str = [&](const char* key, const std::string& fallback) {
      if (!doc.contains(key) || doc[key].is_null()) return fallback;
      return doc[key].is_string() ? doc[key].get<std::string>() : doc[key].dump();
    };
    const std::string id = str("id", "line " + std::to_string(line_no));
    const std::string org = str("org", "");
    const std::string school = str("school", "");
    auto key = std::make_pair(org, school);
    auto it = policies.find(key);
    if (it == policies.end()) {
      std::vector<std::string> files;
      if (!org.empty()) files.push_back(dir + "/" + org + ".json");
      it = policies.emplace(key, load_policy(files, school)).first;
    }
    if (!it->second) {
      io.err << i18n::trf("postguard eval: {1}: policy error: {2}", id, it->second.error().to_string()) << "\n";
      return exit_usage;
    }
    Context ctx;
    ctx.school = school;
    ctx.site = str("site", "");
    ctx.surface = str("surface", "post");
    ctx.account = str("account", "personal");
    const std::string text = doc["text"].get<std::string>();
    auto result = check(it->second.value(), text, ctx);
    if (!result) {
      io.err << i18n::trf("postguard eval: {1}: {2}", id, result.error().message) << "\n";
      ++errors;
      continue;
    }
    ++total;
    std::set<std::string> expected, got;
    for (const auto& e : doc["expect"]) {
      if (e.is_string()) expected.insert(e.get<std::string>());
    }
    for (const auto& f : result.value()) {
      if (f.severity >= Severity::warn) got.insert(f.category);
    }
    if (expected.empty()) {
      ++benign;
      if (!got.empty()) ++benign_alarms;
    }
    const std::string excerpt = text.size() > 100 ? text.substr(0, 97) + "..." : text;
    for (const auto& c : kScored) {
      const bool e = expected.count(c) > 0, g = got.count(c) > 0;
      if (e && g) ++counts[c].tp;
      if (!e && g) {
        ++counts[c].fp;
        misses.push_back({id, c, "false alarm", excerpt});
      }
      if (e && !g) {
        ++counts[c].fn;
        misses.push_back({id, c, "missed", excerpt});
      }
    }
  }
  const double alarm_rate = benign == 0 ? 0.0 : static_cast<double>(benign_alarms) / benign;
  bool below = false;
  for (const auto& c : kScored) {
    below = below || counts[c].precision() < require || counts[c].recall() < require;
  }
  if (format == "json") {
    nlohmann::ordered_json j;
    j["cases"] = total;
    for (const auto& c : kScored) {
      j["categories"][c] = {{"precision", counts[c].precision()}, {"recall", counts[c].recall()},
                            {"tp", counts[c].tp}, {"fp", counts[c].fp}, {"fn", counts[c].fn}};
    }
    j["benign"] = {{"cases", benign}, {"falseAlarms", benign_alarms}, {"rate", alarm_rate}};
    j["misses"] = nlohmann::ordered_json::array();
    for (const auto& m : misses) j["misses"].push_back({{"id", m.id}, {"category", m.category}, {"kind", m.kind}});
    io.out << j.dump(2) << "\n";
  } else {
    io.out << std::fixed << std::setprecision(3);
    // TRANSLATORS: column headings; keep each within its column (16, 9 and 6 characters).
    io.out << std::left << std::setw(16) << i18n::tr("category") << " " << std::right << std::setw(9)
           << i18n::tr("precision") << "  " << std::setw(6) << i18n::tr("recall") << "   tp  fp  fn\n";
    for (const auto& c : kScored) {
      const Counts& k = counts[c];
      io.out << std::left << std::setw(16) << c << " " << std::right << std::setw(9) << k.precision() << "  "
             << std::setw(6) << k.recall() << "  " << std::setw(3) << k.tp << " " << std::setw(3) << k.fp << " "
             << std::setw(3) << k.fn << "\n";
    }
    std::ostringstream rate;
    rate << std::fixed << std::setprecision(3) << alarm_rate * 100;
    io.out << i18n::trf("benign false alarms: {1}/{2} ({3}%)", benign_alarms, benign, rate.str()) << "\n";
    io.out << i18n::trf("cases: {1}", total);
    if (errors) io.out << ", " << i18n::trf("unreadable: {1}", errors);
    io.out << "\n";
    if (!misses.empty()) {
      io.out << "\n" << i18n::tr("misses:") << "\n";
      for (const auto& m : misses) {
        io.out << "  " << m.id << "  " << (m.kind == "missed" ? i18n::tr("missed") : i18n::tr("false alarm")) << "  "
               << m.category << "  " << m.text << "\n";
      }
    }
  }
  if (require >= 0 && (below || alarm_rate > 0.05)) return exit_findings;
  return exit_clean;
}

}  // namespace postguard::cli
