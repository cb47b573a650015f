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

bool send_reply(ReplySink& out, std::string_view reply, std::string_view id_json, size_t max_bytes) {
  if (reply.size() <= max_bytes) return out.send(reply);
  const std::string head = "{\"type\":\"chunk\",\"id\":" + std::string(id_json) + ",\"part\":";
  // Worst case for the two numbers (10 digits each) plus the fixed text.
  const size_t overhead = head.size() + 10 + std::string_view(",\"parts\":").size() + 10 +
                          std::string_view(",\"data\":\"").size() + std::string_view("\"}").size();
  const size_t budget = max_bytes - overhead;

  // Slice on code point boundaries so each `data` is valid UTF-8 on its own.
  // Only the slices' ends are kept (the count goes in every chunk's header);
  // each chunk's text is made when it is sent.
  std::vector<size_t> ends;
  size_t cost = 0, i = 0;
  while (i < reply.size()) {
    const size_t len = std::min(utf8_sequence_length(static_cast<unsigned char>(reply[i])), reply.size() - i);
    size_t c = 0;
    for (size_t k = 0; k < len; ++k) c += escaped_size(static_cast<unsigned char>(reply[i + k]));
    if (cost + c > budget) {
      ends.push_back(i);
      cost = 0;
    }
    cost += c;
    i += len;
  }
  ends.push_back(reply.size());

  const std::string parts = std::to_string(ends.size());
  std::string m;
  m.reserve(max_bytes);
  size_t start = 0;
  for (size_t p = 0; p < ends.size(); ++p) {
    m.assign(head);
    m += std::to_string(p);
    m += ",\"parts\":";
    m += parts;
    m += ",\"data\":\"";
    append_json_escaped(m, reply.substr(start, ends[p] - start));
    m += "\"}";
    if (!out.send(m)) return false;
    start = ends[p];
  }
  return true;
}

std::vector<std::string> chunk_reply(std::string_view reply, std::string_view id_json, size_t max_bytes) {
  CollectingReplySink sink;
  send_reply(sink, reply, id_json, max_bytes);
  return std::move(sink.messages);
}

}  // namespace postguard::host
