#include "standard_streams.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <initializer_list>

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

int flush_stdout()
{
  if (std::fflush(stdout) != 0) {
    return errno;
  }
  // A failed write discards the buffer, so a later flush succeeds: the error flag remembers it.
  return std::ferror(stdout) ? EIO : 0;
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
