#pragma once

#include <string_view>

namespace oex::cli {

// Keeps descriptors 0, 1 and 2 taken, so that a file oex opens never becomes its standard
// output: a closed one is replaced by /dev/null opened the other way round, so that reading or
// writing it still fails (EBADF) as it would have. Call first thing in main.
void guard_standard_streams();

// Every write to standard output goes through put_stdout, write_stdout, fmt::print (which throws
// std::system_error with the write's errno) or ReportBuffer, so that a failed write's errno is
// known: a failed write empties stdio's buffer, and the flush at the end then succeeds.

// Remembers a failed write's errno (EIO for 0) unless an earlier one is remembered; returns the
// first one.
int note_stdout_error(int error);

// Writes text to standard output (buffered): 0, or the first write error (remembered).
int put_stdout(std::string_view text);

// Writes bytes to standard output and flushes; throws std::system_error with the first write
// error when that fails (a closed pipe, a full disk), which main() reports as for every other
// command.
void write_stdout(std::string_view bytes);

// Flushes standard output: 0, or the errno of the first write that failed (EIO when unknown).
int flush_stdout();

// What a failed write to standard output ends with: a closed pipe (EPIPE) ends oex quietly by
// SIGPIPE, as the default disposition would have, even when SIGPIPE was ignored; anything else is
// "oex: error: cannot write to standard output: REASON" and exit status 2.
int stdout_failed(int error);

} // namespace oex::cli
