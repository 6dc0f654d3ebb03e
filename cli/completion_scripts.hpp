#pragma once

#include <string>
#include <string_view>

#include "command_tree.hpp"

namespace oex::cli {

// The completion script for `shell` (bash, zsh or fish) over every visible command and option
// of the tree: options by command, values by kind (files, directories, choices), event types
// from `oex list --names` at completion time. The committed completions/ files are these
// scripts (`cmake --build build --target completions` rewrites them).
std::string bash_completion(const CommandTree& tree);
std::string zsh_completion(const CommandTree& tree);
std::string fish_completion(const CommandTree& tree);

} // namespace oex::cli
