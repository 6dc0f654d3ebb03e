#pragma once

#include <string_view>

namespace oex::cli {

// Writes bytes to standard output; throws std::system_error with the write's errno when that
// fails (a closed pipe, a full disk), which main() reports as for every other command.
void write_stdout(std::string_view bytes);

} // namespace oex::cli
