// Reading policy files and input for the hosts (the core does no I/O).
#pragma once

#include <optional>
#include <string>

namespace postguard::io {

// Whole file, or nullopt with `error` set to a message naming the file.
std::optional<std::string> read_file(const std::string& path, std::string& error);
std::string read_stdin();

}  // namespace postguard::io
