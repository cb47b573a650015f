// The `postguard` admin CLI. Commands take their arguments and streams so the
// golden tests can run them in-process as well as through the binary.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "postguard/postguard.h"

namespace postguard::cli {

// Exit codes (DESIGN.md): 0 nothing at warn or above, 1 findings at warn or
// above (or quality bars missed in eval), 2 usage or policy error.
enum Exit : int { exit_clean = 0, exit_findings = 1, exit_usage = 2 };

struct Io {
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
};

int run(const std::vector<std::string>& args, Io io);

int command_check(const std::vector<std::string>& args, Io io);
int command_eval(const std::vector<std::string>& args, Io io);
int command_policy(const std::vector<std::string>& args, Io io);

// Loads policy files (trust bundle first, then overlays) for a school.
Result<Policy> load_policy(const std::vector<std::string>& files, const std::string& school);

// The parts of UTF-8 `text` between UTF-16 offsets [start, end): the
// characters wholly inside. Indexed once per text, so printing many findings
// of a long draft is not quadratic.
class Utf16Slicer {
 public:
  explicit Utf16Slicer(const std::string& text);
  std::string slice(uint32_t start, uint32_t end) const;

 private:
  const std::string& text_;
  std::vector<uint32_t> unit_;  // UTF-16 offset of each character, then the total
  std::vector<uint32_t> byte_;  // its byte offset, then text.size()
};

// One slice (indexes the text each time).
std::string utf16_slice(const std::string& text, uint32_t start, uint32_t end);

void print_usage(std::ostream& out);

}  // namespace postguard::cli
