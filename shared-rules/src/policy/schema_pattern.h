// The JSON Schema `pattern` keyword for the simple patterns our schemas use.
//
// Why not ICU's regex, the core's regex library: ICU builds its static sets
// (word, space and grapheme-cluster properties) on the first regex compile in
// a process. That was about 8M instructions, 40% of loading a bundle natively
// and most of the WebAssembly engine's cold start, spent to check slugs and
// handles. The schemas' patterns are anchored sequences of character classes
// and groups, which this matches directly with ICU's meaning (code points,
// `\s` = White_Space, `$` also before a final line terminator). A pattern
// outside that subset is not compiled here, and the caller uses ICU.
#pragma once

#include <memory>
#include <optional>
#include <cstddef>
#include <string_view>

namespace postguard::policy {

class SchemaPattern {
 public:
  // nullopt when the pattern uses syntax outside the subset: literals,
  // escapes, [classes] with ranges and negation, \s \d \w outside or inside
  // classes, (groups), the quantifiers ? * + and the anchors ^ $.
  static std::optional<SchemaPattern> compile(std::string_view pattern);

  // Like ICU's RegexMatcher::find() on the whole value: a match anywhere
  // unless the pattern is anchored. `utf8` must be valid UTF-8. nullopt for a
  // value longer than kMaxValueBytes (ask ICU).
  std::optional<bool> search(std::string_view utf8) const;
  static constexpr size_t kMaxValueBytes = 256;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
};

}  // namespace postguard::policy
