#include <istream>
#include <map>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/cli.h"
#include "common/file_io.h"
#include "common/i18n.h"

namespace postguard::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> policies;
  std::string school;
  Context ctx;
  std::string format = "text";
  std::string jsonl;
  std::string text;
  bool have_text = false;
  bool trace = false;
};

bool parse(const std::vector<std::string>& args, CheckOptions& o, std::ostream& err) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& target) {
      if (i + 1 >= args.size()) {
        err << i18n::trf("postguard check: {1} needs a value", a) << "\n";
        return false;
      }
      target = args[++i];
      return true;
    };
    std::string images;
    if (a == "--policy") {
      std::string p;
      if (!value(p)) return false;
      o.policies.push_back(p);
    } else if (a == "--school") {
      if (!value(o.school)) return false;
    } else if (a == "--site") {
      if (!value(o.ctx.site)) return false;
    } else if (a == "--surface") {
      if (!value(o.ctx.surface)) return false;
    } else if (a == "--account") {
      if (!value(o.ctx.account)) return false;
    } else if (a == "--images") {
      if (!value(images)) return false;
      try {
        o.ctx.images = std::stoi(images);
      } catch (...) {
        err << i18n::tr("postguard check: --images needs a number") << "\n";
        return false;
      }
    } else if (a == "--format") {
      if (!value(o.format)) return false;
      if (o.format != "text" && o.format != "json") {
        err << i18n::tr("postguard check: --format must be text or json") << "\n";
        return false;
      }
    } else if (a == "--trace") {
      o.trace = true;
    } else if (a == "--jsonl") {
      if (!value(o.jsonl)) return false;
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      err << i18n::trf("postguard check: unknown option {1}", a) << "\n";
      return false;
    } else if (!o.have_text) {
      o.text = a;
      o.have_text = true;
    } else {
      err << i18n::tr("postguard check: give the draft as one argument (quote it)") << "\n";
      return false;
    }
  }
  return true;
}

void print_text(const std::string& text, const std::vector<Finding>& findings, std::ostream& out) {
  if (findings.empty()) {
    out << i18n::tr("No problems found.") << "\n";
    return;
  }
  const Utf16Slicer slicer(text);
  for (const auto& f : findings) {
    out << to_string(f.severity) << "\t" << f.category << "\t" << f.start << "-" << f.end << "\t\""
        << slicer.slice(f.start, f.end) << "\"\n  " << f.message << "\n  "
        << i18n::trf("Policy: {1}", f.policy_ref) << "  [" << f.rule << "]\n";
    if (f.fix) out << "  " << i18n::trf("Fix: {1}", f.fix->label) << ": \"" << f.fix->text << "\"\n";
  }
}

int run_jsonl(const CheckOptions& o, Io io) {
  std::string error;
  std::istringstream file_stream;
  std::istream* in = &io.in;
  if (o.jsonl != "-") {
    auto content = io::read_file(o.jsonl, error);
    if (!content) {
      io.err << i18n::trf("postguard check: {1}", error) << "\n";
      return exit_usage;
    }
    file_stream.str(std::move(*content));
    in = &file_stream;
  }
  // Policies per school, compiled once.
  std::map<std::string, Result<Policy>> cache;
  auto policy_for = [&](const std::string& school) -> const Result<Policy>& {
    auto it = cache.find(school);
    if (it == cache.end()) it = cache.emplace(school, load_policy(o.policies, o.policies.empty() ? std::string() : school)).first;
    return it->second;
  };
  // A bad policy is a usage error for the whole run, not per line.
  if (auto& base = policy_for(o.school); !base) {
    io.err << i18n::trf("postguard: policy error: {1}", base.error().to_string()) << "\n";
    return exit_usage;
  }
  bool any = false;
  std::string line;
  size_t line_no = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::ordered_json reply;
    auto doc = nlohmann::json::parse(line, nullptr, false);
    nlohmann::json id = nullptr;
    if (doc.is_object() && doc.contains("id")) id = doc["id"];
    reply["id"] = id;
    auto fail = [&](const std::string& msg) {
      reply["error"] = msg;
      io.out << reply.dump() << "\n";
    };
    if (doc.is_discarded() || !doc.is_object()) {
      fail(i18n::trf("line {1}: not a JSON object", line_no));
      continue;
    }
    if (!doc.contains("text") || !doc["text"].is_string()) {
      fail(i18n::trf("line {1}: \"text\" must be a string", line_no));
      continue;
    }
    Context ctx = o.ctx;
    std::string school = o.school;
    bool bad = false;
    for (const auto& [key, target] : {std::pair<const char*, std::string*>{"site", &ctx.site},
                                      {"surface", &ctx.surface}, {"account", &ctx.account},
                                      {"school", &school}}) {
      if (!doc.contains(key) || doc[key].is_null()) continue;
      if (!doc[key].is_string()) {
        fail(i18n::trf("line {1}: \"{2}\" must be a string", line_no, key));
        bad = true;
        break;
      }
      *target = doc[key].get<std::string>();
    }
    if (bad) continue;
    if (doc.contains("images") && doc["images"].is_number_integer()) ctx.images = doc["images"].get<int>();
    const auto& policy = policy_for(school);
    if (!policy) {
      fail(policy.error().to_string());
      continue;
    }
    auto result = check(policy.value(), doc["text"].get<std::string>(), ctx);
    if (!result) {
      fail(result.error().message);
      continue;
    }
    reply["findings"] = nlohmann::ordered_json::parse(findings_to_json(result.value()));
    io.out << reply.dump() << "\n";
    auto top = max_severity(result.value());
    any = any || (top && *top >= Severity::warn);
  }
  return any ? exit_findings : exit_clean;
}

}  // namespace

int command_check(const std::vector<std::string>& args, Io io) {
  CheckOptions o;
  if (!parse(args, o, io.err)) {
    io.err << "\n";
    print_usage(io.err);
    return exit_usage;
  }
  if (auto e = validate(o.ctx)) {
    io.err << i18n::trf("postguard check: {1}", e->message) << "\n";
    return exit_usage;
  }
  if (!o.jsonl.empty()) {
    if (o.have_text) {
      io.err << i18n::tr("postguard check: give either TEXT or --jsonl, not both") << "\n";
      return exit_usage;
    }
    return run_jsonl(o, io);
  }
  auto policy = load_policy(o.policies, o.school);
  if (!policy) {
    io.err << i18n::trf("postguard: policy error: {1}", policy.error().to_string()) << "\n";
    return exit_usage;
  }
  o.ctx.school = policy.value().school();
  const std::string text = (!o.have_text || o.text == "-") ? io::read_stdin() : o.text;
  if (o.trace) {
    auto t = postguard::trace(policy.value(), text, o.ctx);
    if (t) io.out << t.value() << "\n";
  }
  auto result = check(policy.value(), text, o.ctx);
  if (!result) {
    if (o.format == "json") io.out << "{\"error\":" << error_to_json(result.error()) << "}\n";
    io.err << i18n::trf("postguard check: {1}", result.error().to_string()) << "\n";
    return exit_usage;
  }
  if (o.format == "json") {
    io.out << findings_to_json(result.value()) << "\n";
  } else {
    print_text(text, result.value(), io.out);
  }
  auto top = max_severity(result.value());
  return top && *top >= Severity::warn ? exit_findings : exit_clean;
}

}  // namespace postguard::cli
