// The top-level string values of an XML property list: enough to read the
// managed preferences an MDM (Jamf, Intune for Mac) writes for org.postguard,
// without CoreFoundation, so it builds and is tested on every OS.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace postguard::host {

// Keys of the top-level <dict> whose values are <string>s, entities decoded.
// Other value types are skipped. nullopt with `error` set when the text is
// not an XML plist (a binary plist, "bplist00…", is reported as such).
std::optional<std::map<std::string, std::string>> parse_plist_strings(std::string_view text, std::string& error);

}  // namespace postguard::host
