#pragma once

// Running work in a child process with a deadline: the isolation behind plugin receivers and
// the transport of exec receivers.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace oex {

struct ChildRun
{
  bool timed_out = false;
  int status = 0;     // as waitpid() gives it
  std::string out;    // the child's stdout, when captured
  std::string err;    // the child's stderr, when captured
  std::string result; // what the child wrote to its result pipe
};

enum class CaptureStdio { no, yes };

// Forks. The child gets its own process group, the input on stdin (when stdio is captured),
// and runs child_main(result_fd), whose return value becomes its exit status (_exit: no stdio
// flushing, no destructors). The parent collects the pipes until they close or the timeout
// passes, then kills the whole group if needed and reaps the child. Throws oex::Error when
// the pipes or the fork cannot be made.
ChildRun run_child(const std::function<int(int result_fd)>& child_main, std::string_view input,
                   CaptureStdio capture, std::chrono::milliseconds timeout);

// "crashed: signal 11 (SIGSEGV)", "exited with status 3", "timed out after 2 s", or "" for a
// clean exit.
std::string describe_child_end(const ChildRun& run, std::chrono::milliseconds timeout);

// Writes all of text to fd (retrying short writes); false on error.
bool write_all(int fd, std::string_view text);

} // namespace oex
