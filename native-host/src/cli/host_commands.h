// `postguard install-host` and `postguard doctor`: setting up and checking the
// native messaging host on this machine (issue 4).
#pragma once

#include <string>
#include <vector>

#include "cli/cli.h"

namespace postguard::cli {

int command_install_host(const std::vector<std::string>& args, Io io);
int command_doctor(const std::vector<std::string>& args, Io io);

}  // namespace postguard::cli
