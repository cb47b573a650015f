// Welsh and English messages (Boost.Locale catalogs from native-host/locale):
// the real `postguard` binary picks the language from LC_ALL / LC_MESSAGES /
// LANG or --lang, with no system locale for cy_GB generated; every message in
// the template has a Welsh translation in the compiled catalog.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "common/i18n.h"

namespace {

namespace fs = std::filesystem;
using Env = std::vector<std::pair<std::string, std::string>>;

struct Output {
  int code = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The binary with only the locale variables in `env` set (the rest of the
// environment kept), stdin empty.
Output run_cli(const std::vector<std::string>& args, const Env& env) {
  char out_name[] = "/tmp/postguard-locale-out-XXXXXX";
  char err_name[] = "/tmp/postguard-locale-err-XXXXXX";
  const int out_fd = mkstemp(out_name);
  const int err_fd = mkstemp(err_name);
  REQUIRE(out_fd >= 0);
  REQUIRE(err_fd >= 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int in = open("/dev/null", O_RDONLY);
    dup2(in, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"}) unsetenv(var);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv{const_cast<char*>(POSTGUARD_CLI)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    alarm(120);
    execv(POSTGUARD_CLI, argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  close(out_fd);
  close(err_fd);
  Output o;
  o.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  o.out = slurp(out_name);
  o.err = slurp(err_name);
  std::remove(out_name);
  std::remove(err_name);
  return o;
}

const Env kWelsh = {{"LANG", "cy_GB.UTF-8"}};
const Env kEnglish = {{"LANG", "en_GB.UTF-8"}};

// msgids of the committed template (C-style escapes undone).
std::vector<std::string> template_msgids() {
  std::ifstream in(std::string(POSTGUARD_SOURCE_DIR) + "/native-host/locale/postguard.pot");
  REQUIRE(in);
  std::vector<std::string> ids;
  std::string line, current;
  bool in_id = false;
  auto unquote = [](const std::string& q) {
    std::string out;
    for (size_t i = 1; i + 1 < q.size(); ++i) {
      if (q[i] == '\\' && i + 2 < q.size()) {
        const char c = q[++i];
        out += c == 'n' ? '\n' : c == 't' ? '\t' : c;
      } else {
        out += q[i];
      }
    }
    return out;
  };
  auto flush = [&] {
    if (in_id && !current.empty()) ids.push_back(current);
    current.clear();
    in_id = false;
  };
  while (std::getline(in, line)) {
    if (line.rfind("msgid ", 0) == 0) {
      flush();
      in_id = true;
      current = unquote(line.substr(6));
    } else if (in_id && !line.empty() && line[0] == '"') {
      current += unquote(line);
    } else if (line.rfind("msgstr", 0) == 0) {
      flush();
    }
  }
  return ids;
}

}  // namespace

TEST_CASE("locale: LANG=cy_GB.UTF-8 prints the usage in Welsh", "[cli][locale]") {
  const Output cy = run_cli({}, kWelsh);
  CHECK(cy.code == 2);
  CHECK_THAT(cy.err, Catch::Contains("defnydd: postguard <gorchymyn> [dewisiadau]"));
  CHECK_THAT(cy.err, Catch::Contains("Gwirio un drafft"));
  CHECK_THAT(cy.err, Catch::Contains("Statws gadael:"));
  CHECK_THAT(cy.err, !Catch::Contains("usage:"));
  // Option names and commands stay as typed.
  CHECK_THAT(cy.err, Catch::Contains("install-host --browser chrome|chromium|edge|firefox|all"));
  CHECK_THAT(cy.err, Catch::Contains("--lang cy|en"));
}

TEST_CASE("locale: errors in Welsh keep paths and option names", "[cli][locale]") {
  const Output unknown = run_cli({"frobnicate"}, kWelsh);
  CHECK(unknown.code == 2);
  CHECK_THAT(unknown.err, Catch::StartsWith("postguard: gorchymyn anhysbys \"frobnicate\""));

  const Output missing = run_cli({"check", "--policy", "/nonexistent/policy.json", "hello"}, kWelsh);
  CHECK(missing.code == 2);
  CHECK_THAT(missing.err, Catch::Contains("postguard: gwall polisi:"));
  CHECK_THAT(missing.err, Catch::Contains("methu darllen y ffeil polisi"));
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent/policy.json"));

  const Output value = run_cli({"check", "--format", "yaml", "hi"}, kWelsh);
  CHECK(value.code == 2);
  CHECK_THAT(value.err, Catch::Contains("postguard check: rhaid i --format fod yn text neu json"));

  const Output clean = run_cli({"check", "Come and see our new library on Friday."}, kWelsh);
  CHECK(clean.code == 0);
  CHECK(clean.out == "Ni chanfuwyd unrhyw broblemau.\n");
}

TEST_CASE("locale: LC_ALL over LC_MESSAGES over LANG, and --lang over all of them", "[cli][locale]") {
  const std::string english_usage = run_cli({}, {}).err;
  REQUIRE_THAT(english_usage, Catch::StartsWith("usage: postguard <command> [options]"));
  const std::string welsh_usage = run_cli({}, kWelsh).err;
  REQUIRE(welsh_usage != english_usage);

  CHECK(run_cli({}, kEnglish).err == english_usage);
  CHECK(run_cli({}, {{"LANG", "C"}}).err == english_usage);
  CHECK(run_cli({}, {{"LANG", "cy"}}).err == welsh_usage);
  CHECK(run_cli({}, {{"LC_ALL", "cy_GB.UTF-8"}, {"LANG", "en_GB.UTF-8"}}).err == welsh_usage);
  CHECK(run_cli({}, {{"LC_ALL", "C"}, {"LANG", "cy_GB.UTF-8"}}).err == english_usage);
  CHECK(run_cli({}, {{"LC_MESSAGES", "cy_GB.UTF-8"}, {"LANG", "en_GB.UTF-8"}}).err == welsh_usage);

  CHECK(run_cli({"--lang", "cy"}, kEnglish).err == welsh_usage);
  CHECK(run_cli({"--lang=en"}, kWelsh).err == english_usage);
  // --lang anywhere on the line, taken out before the command parses.
  const Output late = run_cli({"check", "--lang", "cy", "--format", "yaml", "hi"}, kEnglish);
  CHECK_THAT(late.err, Catch::Contains("rhaid i --format fod yn text neu json"));
  const Output bad = run_cli({"--lang", "fr", "check", "hi"}, kEnglish);
  CHECK(bad.code == 2);
  CHECK_THAT(bad.err, Catch::Contains("--lang must be cy or en, not \"fr\""));
}

TEST_CASE("locale: doctor reports in Welsh", "[cli][locale]") {
  const fs::path root = fs::temp_directory_path() / ("postguard-locale-doctor-" + std::to_string(getpid()));
  fs::create_directories(root);
  const Output d = run_cli({"doctor", "--root", root.string(), "--host-path", "/nonexistent/postguard-host"}, kWelsh);
  fs::remove_all(root);
  CHECK(d.code == 1);
  CHECK_THAT(d.out, Catch::Contains("porwyr:"));
  CHECK_THAT(d.out, Catch::Contains("(AR GOLL)"));
  CHECK_THAT(d.out, Catch::Contains("dim maniffest yn " + root.string()));
  CHECK_THAT(d.out, Catch::Contains("Canfuwyd problemau (gweler uchod)."));
}

TEST_CASE("locale: the catalogs sit beside the binaries and every template message is in Welsh", "[cli][locale]") {
  using namespace postguard;
  const fs::path dir = i18n::catalog_dir();
  REQUIRE(fs::exists(dir / "cy" / "LC_MESSAGES" / "postguard.mo"));
  REQUIRE(fs::exists(dir / "en" / "LC_MESSAGES" / "postguard.mo"));

  const auto ids = template_msgids();
  REQUIRE(ids.size() > 50);
  // Messages made only of tokens and placeholders read the same in Welsh.
  const std::set<std::string> same_in_welsh = {"PROBLEM", "PROBLEM {1}: {2}", "postguard check: {1}",
                                               "postguard eval: {1}", "postguard eval: {1}: {2}"};
  REQUIRE(i18n::set_language("cy"));
  CHECK(i18n::language() == "cy");
  std::vector<std::string> untranslated;
  for (const auto& id : ids) {
    if (i18n::tr(id.c_str()) == id && !same_in_welsh.count(id)) untranslated.push_back(id);
  }
  INFO("untranslated: " << untranslated.size());
  for (const auto& u : untranslated) UNSCOPED_INFO(u);
  CHECK(untranslated.empty());

  // Placeholders are filled in order; numbers are written plainly (no digit grouping).
  CHECK(i18n::trf("cases: {1}", 1234567) == "achosion: 1234567");
  CHECK(i18n::trf("line {1}: \"{2}\" must be a string", 12, "site") == "llinell 12: rhaid i \"site\" fod yn llinyn");

  REQUIRE(i18n::set_language("en_GB.UTF-8"));
  CHECK(i18n::language() == "en");
  for (const auto& id : ids) CHECK(i18n::tr(id.c_str()) == id);
  CHECK(i18n::trf("cases: {1}", 1234567) == "cases: 1234567");
  CHECK_FALSE(i18n::set_language("fr"));
  CHECK(i18n::language() == "en");
}
