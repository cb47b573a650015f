// Messages the CLI and the host print, in the user's language (English or
// Welsh), through Boost.Locale's gettext catalogs (native-host/locale/).
// English is the msgid itself, so a missing catalog still reads correctly.
//
// Wrap every user-facing string: tr("...") for plain text, trf("... {1} ...",
// value) for text with values (Boost.Locale format placeholders {1}, {2}...),
// tr_n("one ...", "{1} ...", n) for plural forms. xgettext extracts these three
// keywords into native-host/locale/postguard.pot (target `postguard-pot`).
// Technical tokens (option names, file paths, JSON keys) stay in the msgid
// and are not translated.
#pragma once

#include <string>

#include <boost/locale/format.hpp>
#include <boost/locale/message.hpp>

namespace postguard::i18n {

// Chooses the language: "cy" or "en" (a POSIX locale name such as
// "cy_GB.UTF-8" also works), or "" for the environment: the first set of
// LC_ALL, LC_MESSAGES, LANG. Anything not Welsh is English. Returns false for
// an explicit value that names neither language (the language is unchanged).
bool set_language(const std::string& lang = "");

// "cy" or "en": what set_language chose (set from the environment on first use).
const std::string& language();

// The folder holding <lang>/LC_MESSAGES/postguard.mo, found beside the
// executable (bin/../share/locale) so a build tree works without installing.
std::string catalog_dir();

// The std::locale Boost.Locale generated for the chosen language.
const std::locale& current_locale();

std::string tr(const char* msgid);
std::string tr_n(const char* singular, const char* plural, int n);

template <class... Args>
std::string trf(const char* msgid, const Args&... args) {
  boost::locale::format f(boost::locale::translate(msgid));
  (void)(f % ... % args);
  return f.str(current_locale());
}

}  // namespace postguard::i18n
