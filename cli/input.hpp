#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace oex::cli {

// The display name of an input path: "<stdin>" for "-".
std::string input_name(const std::string& path);

// The whole content of path ("-": standard input); throws oex::Error "cannot read 'P': REASON".
std::string read_input(const std::string& path);

// Calls f(line, line_number) for each line of path ("-": standard input), without the line
// break, reading in blocks so memory stays flat however large the input. Stops early when f
// returns false. Throws
// oex::Error when the input cannot be read.
void for_each_line(const std::string& path,
                   const std::function<bool(std::string_view line, std::size_t number)>& f);

} // namespace oex::cli
