// Keeps every host->browser message under the browser's 1 MiB cap: a reply
// that would be larger (a big policy, many findings) goes out as numbered
// `chunk` messages whose `data` strings, joined in order, are the reply's
// JSON text (docs/protocol.md "Chunked replies").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "host/framing.h"

namespace postguard::host {

// `reply` is one complete JSON message (valid UTF-8). `id_json` is the
// request's id as JSON text ("null", "7", "\"a\""), at most a few hundred bytes.
// Returns `reply` alone when it fits, otherwise the chunk messages.
std::vector<std::string> chunk_reply(std::string reply, std::string_view id_json,
                                     size_t max_bytes = kMaxOutgoingMessageBytes);

// `text` as the inside of a JSON string (no quotes added).
void append_json_escaped(std::string& out, std::string_view text);

}  // namespace postguard::host
