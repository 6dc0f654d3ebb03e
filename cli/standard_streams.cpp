#include "standard_streams.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

#include "exit_codes.hpp"

namespace oex::cli {

void guard_standard_streams()
{
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      // open() returns the lowest free descriptor, which is fd.
      const int opened = ::open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
      if (opened >= 0 && opened != fd) {
        ::close(opened);
      }
    }
  }
}

namespace {

// The errno of the first write to standard output that failed (0: none yet). Later writes may
// fail for other reasons, or a flush may succeed because a failed write emptied the buffer: the
// first error is the one that explains the lost output.
int g_first_stdout_error = 0;

} // namespace

int note_stdout_error(int error)
{
  if (g_first_stdout_error == 0) {
    g_first_stdout_error = error != 0 ? error : EIO;
  }
  return g_first_stdout_error;
}

int put_stdout(std::string_view text)
{
  errno = 0;
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
    return note_stdout_error(errno);
  }
  return 0;
}

void write_stdout(std::string_view bytes)
{
  int error = put_stdout(bytes);
  if (error == 0 && std::fflush(stdout) != 0) {
    error = note_stdout_error(errno);
  }
  if (error != 0) {
    // main() turns this into what every command does on a failed write (stdout_failed): a
    // closed pipe ends oex by SIGPIPE, anything else is "cannot write to standard output".
    throw std::system_error(error, std::generic_category(), "cannot write to standard output");
  }
}

int flush_stdout()
{
  errno = 0;
  if (std::fflush(stdout) != 0) {
    note_stdout_error(errno);
  } else if (std::ferror(stdout)) {
    // A write failed where nobody looked (its errno is gone): the failure is all that is known.
    note_stdout_error(EIO);
  }
  return g_first_stdout_error;
}

int stdout_failed(int error)
{
  if (error == EPIPE) {
    std::signal(SIGPIPE, SIG_DFL);
    std::raise(SIGPIPE);
    return static_cast<int>(ExitCode::usage); // not reached unless SIGPIPE is blocked
  }
  std::fprintf(stderr, "oex: error: cannot write to standard output: %s\n", std::strerror(error));
  return static_cast<int>(ExitCode::usage);
}

} // namespace oex::cli
