// Linked into the snapshot tool only: it compiles the baseline from the packs
// (engine/baseline_tables.cpp falls back to that when this is empty).
#include "embedded/embedded_files.h"

namespace postguard::embedded {

std::string_view baseline_snapshot() { return {}; }

}  // namespace postguard::embedded
