#include "cli/cli.h"

#include <algorithm>
#include <ostream>

#include "cli/host_commands.h"
#include "common/file_io.h"
#include "common/i18n.h"

namespace postguard::cli {

namespace {

// Each line of `text` after `spaces` of indentation, so translators see
// plain paragraphs and the layout stays the CLI's.
std::string indented(const std::string& text, size_t spaces) {
  std::string out;
  const std::string pad(spaces, ' ');
  size_t start = 0;
  while (start <= text.size()) {
    const size_t nl = text.find('\n', start);
    const std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    out += pad + line + "\n";
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

}  // namespace

void print_usage(std::ostream& out) {
  using i18n::tr;
  // The command lines (option names and metavariables) are not translated.
  out << tr("usage: postguard <command> [options]") << "\n"
      << "\n"
      << "  check [--policy FILE]... [--school ID] [--site HOST] [--surface post|comment|dm|bio]\n"
         "        [--account personal|official] [--images N] [--format text|json] [--trace] [TEXT|-]\n"
      << indented(tr("Check one draft (TEXT, or - / nothing for standard input). Without --policy the\n"
                     "built-in baseline is used. Give the trust bundle first, then school overlays.\n"
                     "--trace also prints the folded text and what each phrase set matched."),
                  6)
      << "  check --policy FILE --jsonl CASES|-\n"
      << indented(tr("Check one case per line ({\"id\", \"school\", \"site\", \"surface\", \"account\", \"text\"});\n"
                     "writes {\"id\", \"findings\"} or {\"id\", \"error\"} per line."),
                  6)
      << "  eval --policy-dir DIR CASES [--format text|json] [--require P]\n"
      << indented(tr("Precision and recall per category over a labelled corpus (org -> DIR/<org>.json),\n"
                     "with the misses. --require P exits 1 if any figure is below P."),
                  6)
      << "  policy validate FILE...\n"
      << indented(tr("Every problem in each policy file, with its JSON pointer."), 6)
      << "  policy explain [--policy FILE]... [--school ID]\n"
      << indented(tr("The merged policy for a school and where each value came from."), 6)
      << "  install-host --browser chrome|chromium|edge|firefox|all [--system|--user] --extension-id ID\n"
      << indented(tr("Register the native messaging host (org.postguard.host) with the browsers."), 6)
      << "  doctor\n"
      << indented(tr("Check the host manifests, the machine's policy files and the school selected."), 6)
      << "\n"
      << tr("Options for every command: --lang cy|en (otherwise LC_ALL, LC_MESSAGES or LANG).") << "\n"
      << tr("Exit status: 0 nothing at warn or above, 1 findings at warn or above, 2 usage or policy error.")
      << "\n";
}

int run(const std::vector<std::string>& all_args, Io io) {
  // --lang cy|en works anywhere on the line; it is taken out before the
  // command sees its arguments.
  std::vector<std::string> args;
  std::string lang;
  for (size_t i = 0; i < all_args.size(); ++i) {
    if (all_args[i] == "--lang" && i + 1 < all_args.size()) {
      lang = all_args[++i];
    } else if (all_args[i].rfind("--lang=", 0) == 0) {
      lang = all_args[i].substr(7);
    } else {
      args.push_back(all_args[i]);
    }
  }
  if (!lang.empty() && !i18n::set_language(lang)) {
    io.err << i18n::trf("postguard: --lang must be cy or en, not \"{1}\"", lang) << "\n";
    return exit_usage;
  }
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    print_usage(args.empty() ? io.err : io.out);
    return args.empty() ? exit_usage : exit_clean;
  }
  if (args[0] == "--version" || args[0] == "version") {
    io.out << "postguard " << version() << "\n";
    return exit_clean;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "check") return command_check(rest, io);
  if (args[0] == "eval") return command_eval(rest, io);
  if (args[0] == "policy") return command_policy(rest, io);
  if (args[0] == "install-host") return command_install_host(rest, io);
  if (args[0] == "doctor") return command_doctor(rest, io);
  io.err << i18n::trf("postguard: unknown command \"{1}\"", args[0]) << "\n\n";
  print_usage(io.err);
  return exit_usage;
}

Result<Policy> load_policy(const std::vector<std::string>& files, const std::string& school) {
  std::vector<PolicySource> sources;
  for (const auto& f : files) {
    std::string error;
    auto text = io::read_file(f, error);
    if (!text) {
      Error e;
      e.code = ErrorCode::policy_parse;
      e.file = f;
      e.message = i18n::trf("cannot read the policy file ({1})", error);
      return e;
    }
    sources.push_back({f, std::move(*text)});
  }
  return Policy::compile(sources, school);
}

Utf16Slicer::Utf16Slicer(const std::string& text) : text_(text) {
  uint32_t pos = 0;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    unit_.push_back(pos);
    byte_.push_back(static_cast<uint32_t>(i));
    pos += len == 4 ? 2 : 1;
    i += len;
  }
  unit_.push_back(pos);
  byte_.push_back(static_cast<uint32_t>(text.size()));
}

std::string Utf16Slicer::slice(uint32_t start, uint32_t end) const {
  // The first character starting at or after `start`, then every one that
  // ends by `end` (a surrogate pair cut by either offset is left out).
  const size_t chars = unit_.size() - 1;
  size_t first = static_cast<size_t>(std::lower_bound(unit_.begin(), unit_.end() - 1, start) - unit_.begin());
  size_t last = first;
  while (last < chars && unit_[last + 1] <= end) ++last;
  if (last <= first) return {};
  const size_t from = byte_[first], to = std::min<size_t>(byte_[last], text_.size());
  return text_.substr(from, to - from);
}

std::string utf16_slice(const std::string& text, uint32_t start, uint32_t end) { return Utf16Slicer(text).slice(start, end); }

}  // namespace postguard::cli
