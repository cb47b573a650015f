#include "cli/cli.h"

#include <ostream>

#include "cli/host_commands.h"
#include "common/file_io.h"

namespace postguard::cli {

void print_usage(std::ostream& out) {
  out << "usage: postguard <command> [options]\n"
         "\n"
         "  check [--policy FILE]... [--school ID] [--site HOST] [--surface post|comment|dm|bio]\n"
         "        [--account personal|official] [--images N] [--format text|json] [--trace] [TEXT|-]\n"
         "      Check one draft (TEXT, or - / nothing for standard input). Without --policy the\n"
         "      built-in baseline is used. Give the trust bundle first, then school overlays.\n"
         "      --trace also prints the folded text and what each phrase set matched.\n"
         "  check --policy FILE --jsonl CASES|-\n"
         "      Check one case per line ({\"id\", \"school\", \"site\", \"surface\", \"account\", \"text\"});\n"
         "      writes {\"id\", \"findings\"} or {\"id\", \"error\"} per line.\n"
         "  eval --policy-dir DIR CASES [--format text|json] [--require P]\n"
         "      Precision and recall per category over a labelled corpus (org -> DIR/<org>.json),\n"
         "      with the misses. --require P exits 1 if any figure is below P.\n"
         "  policy validate FILE...\n"
         "      Every problem in each policy file, with its JSON pointer.\n"
         "  policy explain [--policy FILE]... [--school ID]\n"
         "      The merged policy for a school and where each value came from.\n"
         "  install-host --browser chrome|chromium|edge|firefox|all [--system|--user] --extension-id ID\n"
         "      Register the native messaging host (org.postguard.host) with the browsers.\n"
         "  doctor\n"
         "      Check the host manifests, the machine's policy files and the school selected.\n"
         "\n"
         "Exit status: 0 nothing at warn or above, 1 findings at warn or above, 2 usage or policy error.\n";
}

int run(const std::vector<std::string>& args, Io io) {
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
  io.err << "postguard: unknown command \"" << args[0] << "\"\n\n";
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
      e.message = "cannot read the policy file (" + error + ")";
      return e;
    }
    sources.push_back({f, std::move(*text)});
  }
  return Policy::compile(sources, school);
}

std::string utf16_slice(const std::string& text, uint32_t start, uint32_t end) {
  std::string out;
  uint32_t pos = 0;
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    const size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    const uint32_t units = len == 4 ? 2 : 1;
    if (pos >= start && pos + units <= end) out.append(text, i, len);
    pos += units;
    i += len;
  }
  return out;
}

}  // namespace postguard::cli
