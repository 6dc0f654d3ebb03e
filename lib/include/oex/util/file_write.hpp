#pragma once

#include <string>
#include <string_view>

namespace oex {

// Writes text to path whole or not at all: into a temporary file in the same folder, flushed to
// disk, then renamed over path. On failure nothing is left behind (an existing file at path is
// unchanged) and oex::Error says "cannot write 'PATH': REASON".
void write_file_atomically(const std::string& path, std::string_view text);

} // namespace oex
