#pragma once

// Running work in a child process with a deadline: the isolation behind plugin receivers and
// the transport of exec receivers.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace oex {

// What a child wrote on one stream: the first bytes up to a limit, the last few bytes (where
// an error message is), and how many bytes it wrote in all. Past the limit the stream is still
// read, so the writer is never blocked, but the bytes are dropped.
struct CapturedStream
{
  static constexpr std::size_t k_tail = 1000;
  std::string head;
  std::string tail;
  std::size_t total = 0;

  void append(std::string_view bytes, std::size_t limit);
  bool truncated() const { return total > head.size(); }
  // The head, without the end of a UTF-8 sequence that the limit cut.
  std::string kept() const;
  // The last k_tail bytes written (or fewer).
  std::string_view last() const;
};

struct ChildRun
{
  bool timed_out = false;
  std::string failure;   // why the call failed otherwise (a worker that broke the protocol)
  int status = 0;        // as waitpid() gives it
  CapturedStream out;    // the child's stdout (with stderr when merged)
  CapturedStream err;    // the child's stderr, when separate
  CapturedStream result; // what the child wrote to its result pipe
};

// How the child's standard streams are connected: stdout and stderr to separate pipes (a
// command: stdout is its answer), or both to one pipe, kept in order (a plugin: whatever it
// prints is its output).
enum class CaptureStdio { separate, merged };

struct ChildLimits
{
  std::chrono::milliseconds timeout{30'000};
  std::size_t max_bytes = 1 << 20;        // kept of stdout and of stderr
  std::size_t max_result_bytes = 1 << 20; // kept of the result pipe
};

// Forks. The child gets its own process group, the input on stdin, its stdout and stderr
// captured, and runs child_main(result_fd), whose return value becomes its exit status
// (_exit: no destructors). The parent collects the pipes until the child exits or the timeout
// passes; then it kills the child's whole process group (whatever the child left running
// goes too), keeps what was already written, and reaps the child. Throws oex::Error when the
// pipes or the fork cannot be made.
ChildRun run_child(const std::function<int(int result_fd)>& child_main, std::string_view input,
                   CaptureStdio capture, const ChildLimits& limits);

// "crashed: signal 11 (SIGSEGV)", "exited with status 3", "timed out after 2 s", or "" for a
// clean exit.
std::string describe_child_end(const ChildRun& run, std::chrono::milliseconds timeout);

// Writes all of text to fd (retrying short writes); false on error.
bool write_all(int fd, std::string_view text);

// The pieces run_child is made of, shared with the long-lived plugin worker (worker_process).

struct Pipe
{
  int read = -1;
  int write = -1;
};

// A pipe whose ends close on exec; throws oex::Error when it cannot be made.
Pipe make_pipe();
void close_fd(int& fd);

// oex ignores SIGPIPE (unless the host set a handler): a child that stopped reading, or died,
// must not kill it.
void ignore_sigpipe();

// In a forked child: its faults are its own, ended by their signal whatever handlers the host
// installed (a sanitizer's, say).
void restore_fault_signals();

// Reads what the non-blocking fd holds now into the stream, kept up to limit, and stops after
// budget bytes (a writer that never pauses cannot keep the reader here); false (and fd closed,
// -1) once it is closed.
bool read_available(int& fd, CapturedStream& into, std::size_t limit,
                    std::size_t budget = SIZE_MAX);

// True once the child has ended; it stays a zombie (not reaped), so that its process id, which
// is also its group's id, cannot be reused before the group is killed.
bool has_ended(int pid);

} // namespace oex
