#include "host/plist_xml.h"

#include <cstdint>

namespace postguard::host {
namespace {

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// XML character data with the five named entities and numeric references.
std::optional<std::string> decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) return std::nullopt;
    const std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") out += '&';
    else if (ent == "lt") out += '<';
    else if (ent == "gt") out += '>';
    else if (ent == "quot") out += '"';
    else if (ent == "apos") out += '\'';
    else if (ent.size() > 1 && ent[0] == '#') {
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      uint32_t cp = 0;
      const std::string_view digits = ent.substr(hex ? 2 : 1);
      if (digits.empty() || digits.size() > 8) return std::nullopt;
      for (char c : digits) {
        uint32_t d;
        if (c >= '0' && c <= '9') d = static_cast<uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f') d = static_cast<uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F') d = static_cast<uint32_t>(c - 'A' + 10);
        else return std::nullopt;
        cp = cp * (hex ? 16 : 10) + d;
      }
      if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
      append_utf8(out, cp);
    } else {
      return std::nullopt;
    }
    i = semi;
  }
  return out;
}

// A tiny cursor over tags: comments, <?xml?> and <!DOCTYPE> are skipped.
struct Cursor {
  std::string_view s;
  size_t pos = 0;

  void skip_misc() {
    for (;;) {
      while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\r' || s[pos] == '\t')) ++pos;
      if (s.compare(pos, 4, "<!--") == 0) {
        const size_t end = s.find("-->", pos);
        pos = end == std::string_view::npos ? s.size() : end + 3;
      } else if (s.compare(pos, 2, "<?") == 0 || s.compare(pos, 2, "<!") == 0) {
        const size_t end = s.find('>', pos);
        pos = end == std::string_view::npos ? s.size() : end + 1;
      } else {
        return;
      }
    }
  }
  // The next tag's text between < and > ("dict", "/dict", "true/"), or "".
  std::string_view tag() {
    skip_misc();
    if (pos >= s.size() || s[pos] != '<') return {};
    const size_t end = s.find('>', pos);
    if (end == std::string_view::npos) return {};
    std::string_view t = s.substr(pos + 1, end - pos - 1);
    pos = end + 1;
    const size_t space = t.find_first_of(" \t\r\n");  // drop attributes (<plist version="1.0">)
    if (space != std::string_view::npos && t.back() != '/') t = t.substr(0, space);
    return t;
  }
  // Text up to </name>, consuming the closing tag.
  std::optional<std::string_view> text_until_close(std::string_view name) {
    const std::string close = "</" + std::string(name) + ">";
    const size_t end = s.find(close, pos);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view t = s.substr(pos, end - pos);
    pos = end + close.size();
    return t;
  }
  // Skips one value whose opening tag was `open` (nested arrays/dicts included).
  bool skip_value(std::string_view open) {
    if (!open.empty() && open.back() == '/') return true;  // <true/>, <false/>, <string/>
    int depth = 1;
    const std::string name(open);
    while (depth > 0) {
      const size_t lt = s.find('<', pos);
      if (lt == std::string_view::npos) return false;
      pos = lt;
      if (s.compare(pos, 4, "<!--") == 0) {
        skip_misc();
        continue;
      }
      const std::string_view t = tag();
      if (t.empty()) return false;
      if (t == name) ++depth;
      else if (t == "/" + name) --depth;
    }
    return true;
  }
};

}  // namespace

std::optional<std::map<std::string, std::string>> parse_plist_strings(std::string_view text, std::string& error) {
  if (text.substr(0, 6) == "bplist") {
    error = "a binary property list; deliver the profile as XML (plutil -convert xml1)";
    return std::nullopt;
  }
  Cursor c{text};
  if (c.tag() != "plist" || c.tag() != "dict") {
    error = "not an XML property list with a top-level <dict>";
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (;;) {
    const std::string_view t = c.tag();
    if (t == "/dict") return out;
    if (t == "dict/") return out;
    if (t != "key") {
      error = "expected <key> in the top-level <dict>";
      return std::nullopt;
    }
    const auto raw_key = c.text_until_close("key");
    const auto key = raw_key ? decode(*raw_key) : std::nullopt;
    if (!key) {
      error = "a <key> is not closed or has a bad entity";
      return std::nullopt;
    }
    const std::string_view v = c.tag();
    if (v == "string") {
      const auto raw = c.text_until_close("string");
      const auto value = raw ? decode(*raw) : std::nullopt;
      if (!value) {
        error = "the <string> for \"" + *key + "\" is not closed or has a bad entity";
        return std::nullopt;
      }
      out[*key] = *value;
    } else if (v == "string/") {
      out[*key] = "";
    } else if (v.empty() || !c.skip_value(v)) {
      error = "the value for \"" + *key + "\" is not closed";
      return std::nullopt;
    }
  }
}

}  // namespace postguard::host
