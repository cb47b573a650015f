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

ReplyStream::ReplyStream(ReplySink& out, std::string_view id_json, size_t max_bytes)
    : out_(out), head_("{\"type\":\"chunk\",\"id\":" + std::string(id_json) + ",\"part\":"), max_bytes_(max_bytes) {
  // As send_reply: the worst case for the two numbers plus the fixed text.
  const size_t overhead = head_.size() + 10 + std::string_view(",\"parts\":").size() + 10 +
                          std::string_view(",\"data\":\"").size() + std::string_view("\"}").size();
  budget_ = max_bytes - overhead;
}

void ReplyStream::write(std::string_view piece) {
  const bool chunked = sending_ && measured_total_ > max_bytes_;
  if (sending_ && !chunked) {
    message_ += piece;  // it fits in one message
    total_ += piece.size();
    return;
  }
  if (chunked && message_.empty()) flush_chunk();  // the first chunk's header
  for (const char ch : piece) {
    const auto c = static_cast<unsigned char>(ch);
    // Cut only before the first byte of a character (so each chunk's data is
    // UTF-8 on its own), costing the whole character there, as send_reply does.
    if ((c & 0xC0) != 0x80) {
      const size_t cost = c < 0x80 ? escaped_size(c) : utf8_sequence_length(c);
      if (cost_ + cost > budget_) {
        ++parts_;
        cost_ = 0;
        if (chunked) flush_chunk();
      }
      cost_ += cost;
    }
    if (chunked) append_json_escaped(message_, std::string_view(&ch, 1));
  }
  total_ += piece.size();
}

void ReplyStream::write_string(std::string_view text) {
  write("\"");
  // Escaped a block at a time: the escaped copy is never the whole text.
  std::string block;
  for (size_t i = 0; i < text.size(); i += 64 * 1024) {
    block.clear();
    append_json_escaped(block, text.substr(i, 64 * 1024));
    write(block);
  }
  write("\"");
}

void ReplyStream::start_sending() {
  measured_total_ = total_;
  measured_parts_ = parts_;
  sending_ = true;
  total_ = 0;
  parts_ = 1;
  cost_ = 0;
  part_ = 0;
  message_.clear();
}

// Sends the chunk being filled (if any) and starts the next one.
void ReplyStream::flush_chunk() {
  if (!message_.empty()) {
    message_ += "\"}";
    ok_ = ok_ && out_.send(message_);
    ++part_;
  }
  message_.assign(head_);
  message_ += std::to_string(part_);
  message_ += ",\"parts\":";
  message_ += std::to_string(measured_parts_);
  message_ += ",\"data\":\"";
}

bool ReplyStream::finish() {
  if (!sending_ || total_ != measured_total_) return false;
  if (measured_total_ <= max_bytes_) return ok_ && out_.send(message_);
  if (parts_ != measured_parts_) return false;
  message_ += "\"}";
  return ok_ && out_.send(message_);
}

std::vector<std::string> chunk_reply(std::string_view reply, std::string_view id_json, size_t max_bytes) {
  CollectingReplySink sink;
  send_reply(sink, reply, id_json, max_bytes);
  return std::move(sink.messages);
}

}  // namespace postguard::host
