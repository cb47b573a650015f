#include <ostream>

#include "cli/cli.h"
#include "common/file_io.h"
#include "common/i18n.h"

namespace postguard::cli {

int command_policy(const std::vector<std::string>& args, Io io) {
  if (args.empty() || (args[0] != "validate" && args[0] != "explain")) {
    io.err << i18n::tr("postguard policy: use `policy validate FILE...` or `policy explain [--policy FILE]... [--school ID]`")
           << "\n";
    return exit_usage;
  }
  if (args[0] == "validate") {
    if (args.size() < 2) {
      io.err << i18n::tr("postguard policy validate: give one or more policy files") << "\n";
      return exit_usage;
    }
    int problems = 0;
    for (size_t i = 1; i < args.size(); ++i) {
      std::string error;
      auto text = io::read_file(args[i], error);
      if (!text) {
        io.err << error << "\n";
        ++problems;
        continue;
      }
      const auto errors = Policy::validate({args[i], *text});
      for (const auto& e : errors) io.out << e.to_string() << "\n";
      // TRANSLATORS: {1} is a policy file's path.
      if (errors.empty()) io.out << i18n::trf("{1}: OK", args[i]) << "\n";
      problems += static_cast<int>(errors.size());
    }
    return problems ? exit_usage : exit_clean;
  }
  std::vector<std::string> files;
  std::string school;
  for (size_t i = 1; i < args.size(); ++i) {
    if ((args[i] == "--policy" || args[i] == "--school") && i + 1 < args.size()) {
      (args[i] == "--policy" ? files.emplace_back() : school) = args[i + 1];
      ++i;
    } else {
      io.err << i18n::trf("postguard policy explain: unexpected argument {1}", args[i]) << "\n";
      return exit_usage;
    }
  }
  auto policy = load_policy(files, school);
  if (!policy) {
    io.err << i18n::trf("postguard: policy error: {1}", policy.error().to_string()) << "\n";
    return exit_usage;
  }
  io.out << policy.value().explain_json() << "\n";
  return exit_clean;
}

}  // namespace postguard::cli
