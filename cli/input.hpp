#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <limits>
#include <string>
#include <string_view>

namespace oex::cli {

// The display name of an input path: "<stdin>" for "-".
std::string input_name(const std::string& path);

// The whole content of path ("-": standard input); throws oex::Error "cannot read 'P': REASON",
// or "NAME: document longer than MAX bytes (--max-bytes)" as soon as more than max_bytes
// arrive (so no more than max_bytes + 1 are ever held).
std::string read_input(const std::string& path,
                       std::size_t max_bytes = std::numeric_limits<std::size_t>::max());

// The folder dir (--out), created with its parents when missing; throws oex::Error "cannot
// create directory 'DIR': REASON" (REASON "it exists and is not a directory" for a file).
std::filesystem::path make_out_dir(const std::string& dir);

// One line of a JSON Lines input, without its line break ("\n" or "\r\n").
struct InputLine
{
  std::string_view text; // empty when too_long
  std::size_t number;    // from 1
  std::size_t too_long;  // 0, or the length of a line longer than the cap (its text is dropped)
};

// Calls f for each line of path ("-": standard input), reading in blocks. A line longer than
// max_line_bytes is not kept: the rest of it is read and dropped up to the next line break, and
// f sees it with too_long set. The buffer stays below max_line_bytes plus 1 MiB however large
// the input or its lines (twice that for a moment while it grows). Stops early when f returns false. Throws oex::Error when the input
// cannot be read.
void for_each_line(const std::string& path, std::size_t max_line_bytes,
                   const std::function<bool(const InputLine& line)>& f);

} // namespace oex::cli
