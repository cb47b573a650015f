#include "common/i18n.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include <boost/locale/generator.hpp>

#if defined(_WIN32)
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
#elif defined(__APPLE__)
#include <mach-o/dyld.h>
#endif

#ifndef POSTGUARD_INSTALLED_LOCALE_DIR
#define POSTGUARD_INSTALLED_LOCALE_DIR ""
#endif

namespace postguard::i18n {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDomain = "postguard";

struct State {
  bool chosen = false;
  std::string language = "en";
  std::locale locale;
};

State& state() {
  static State s;
  return s;
}

fs::path executable_path() {
  std::error_code ec;
#if defined(_WIN32)
  wchar_t buf[32768];
  const DWORD n = GetModuleFileNameW(nullptr, buf, static_cast<DWORD>(sizeof buf / sizeof buf[0]));
  if (n == 0 || n >= sizeof buf / sizeof buf[0]) return {};
  return fs::path(std::wstring(buf, n));
#elif defined(__APPLE__)
  char buf[4096];
  uint32_t size = sizeof buf;
  if (_NSGetExecutablePath(buf, &size) != 0) return {};
  return fs::canonical(buf, ec);
#else
  return fs::read_symlink("/proc/self/exe", ec);
#endif
}

// "cy_GB.UTF-8", "cy", "cy_GB@euro" -> "cy"; the language part only.
std::string language_part(const std::string& name) {
  return name.substr(0, name.find_first_of("_.@-"));
}

// POSIX precedence for message catalogs: LC_ALL, then LC_MESSAGES, then LANG.
std::string environment_locale() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') return v;
  }
  return "";
}

void generate(const std::string& language) {
  State& s = state();
  boost::locale::generator gen;
  // Messages only: collation, formatting and conversion facets would load
  // ICU data for nothing (about 5 MB more for the host), and numbers in
  // messages are written plainly anyway.
  gen.categories(boost::locale::message_facet | boost::locale::information_facet);
  gen.add_messages_path(catalog_dir());
  gen.add_messages_domain(kDomain);
  // The ICU backend builds the locale itself: no system locale (locale-gen)
  // is needed for cy_GB, and output is UTF-8 whatever the environment says.
  s.locale = gen(language == "cy" ? "cy_GB.UTF-8" : "en_GB.UTF-8");
  s.language = language;
  s.chosen = true;
}

}  // namespace

std::string catalog_dir() {
  std::error_code ec;
  const fs::path exe = executable_path();
  if (!exe.empty()) {
    const fs::path beside = exe.parent_path().parent_path() / "share" / "locale";
    if (fs::is_directory(beside, ec)) return beside.string();
  }
  return POSTGUARD_INSTALLED_LOCALE_DIR;
}

bool set_language(const std::string& lang) {
  if (lang.empty()) {
    generate(language_part(environment_locale()) == "cy" ? "cy" : "en");
    return true;
  }
  const std::string part = language_part(lang);
  if (part != "cy" && part != "en") return false;
  generate(part);
  return true;
}

const std::string& language() {
  if (!state().chosen) set_language();
  return state().language;
}

const std::locale& current_locale() {
  if (!state().chosen) set_language();
  return state().locale;
}

std::string tr(const char* msgid) { return boost::locale::translate(msgid).str(current_locale()); }

std::string tr_n(const char* singular, const char* plural, int n) {
  boost::locale::format f(boost::locale::translate(singular, plural, n));
  f % n;
  return f.str(current_locale());
}

}  // namespace postguard::i18n
