#include "host/reply_chunker.h"

namespace postguard::host {
namespace {

// Bytes one input byte takes once escaped; must agree with append_json_escaped.
size_t escaped_size(unsigned char c) {
  if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t') return 2;
  if (c < 0x20) return 6;  // \u00XX
  return 1;
}

size_t utf8_sequence_length(unsigned char lead) {
  return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
}

std::vector<std::string> chunk_reply(std::string reply, std::string_view id_json, size_t max_bytes) {
  if (reply.size() <= max_bytes) return {std::move(reply)};
  const std::string head = "{\"type\":\"chunk\",\"id\":" + std::string(id_json) + ",\"part\":";
  // Worst case for the two numbers (10 digits each) plus the fixed text.
  const size_t overhead = head.size() + 10 + std::string_view(",\"parts\":").size() + 10 +
                          std::string_view(",\"data\":\"").size() + std::string_view("\"}").size();
  const size_t budget = max_bytes - overhead;

  // Slice on code point boundaries so each `data` is valid UTF-8 on its own.
  std::vector<std::string_view> slices;
  const std::string_view all(reply);
  size_t start = 0, cost = 0, i = 0;
  while (i < all.size()) {
    const size_t len = std::min(utf8_sequence_length(static_cast<unsigned char>(all[i])), all.size() - i);
    size_t c = 0;
    for (size_t k = 0; k < len; ++k) c += escaped_size(static_cast<unsigned char>(all[i + k]));
    if (cost + c > budget) {
      slices.push_back(all.substr(start, i - start));
      start = i;
      cost = 0;
    }
    cost += c;
    i += len;
  }
  slices.push_back(all.substr(start));

  std::vector<std::string> out;
  out.reserve(slices.size());
  const std::string parts = std::to_string(slices.size());
  for (size_t p = 0; p < slices.size(); ++p) {
    std::string m = head + std::to_string(p) + ",\"parts\":" + parts + ",\"data\":\"";
    append_json_escaped(m, slices[p]);
    m += "\"}";
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace postguard::host
