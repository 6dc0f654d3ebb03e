#pragma once

namespace oex::cli {

// Keeps descriptors 0, 1 and 2 taken, so that a file oex opens never becomes its standard
// output: a closed one is replaced by /dev/null opened the other way round, so that reading or
// writing it still fails (EBADF) as it would have. Call first thing in main.
void guard_standard_streams();

// Flushes standard output: 0, or the errno of the write that failed (EIO when unknown).
int flush_stdout();

// What a failed write to standard output ends with: a closed pipe (EPIPE) ends oex quietly by
// SIGPIPE, as the default disposition would have, even when SIGPIPE was ignored; anything else is
// "oex: error: cannot write to standard output: REASON" and exit status 2.
int stdout_failed(int error);

} // namespace oex::cli
