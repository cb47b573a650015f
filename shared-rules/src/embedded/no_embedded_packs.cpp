// Linked into the WebAssembly engine instead of the packs' JSON: its baseline
// is always the build's snapshot (postguard-baseline.bin, handed in by the JS
// API), so the packs themselves are never parsed there. An empty list makes
// compile_baseline_tables() fail with a clear error instead of compiling an
// empty baseline.
#include "embedded/embedded_files.h"

namespace postguard::embedded {

const std::vector<std::pair<std::string_view, std::string_view>>& packs() {
  static const std::vector<std::pair<std::string_view, std::string_view>> none;
  return none;
}

}  // namespace postguard::embedded
