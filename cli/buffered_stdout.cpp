#include "buffered_stdout.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <new>

#include <fcntl.h>
#include <unistd.h>

namespace oex::cli {
namespace {

constexpr std::size_t k_block = 1 << 16;

// The gathered text lives in a plain buffer that a signal handler may read: only write(2), which
// is async-signal-safe, touches it there. It grows only between receiver calls.
char* g_data = nullptr;
volatile std::size_t g_size = 0;
std::size_t g_capacity = 0;
bool g_active = false;
// A descriptor of oex's own standard output, taken at the start: a receiver called in-process
// runs with fds 1 and 2 pointing at a capture pipe, and a crash there must still reach stdout.
int g_fd = STDOUT_FILENO;

int write_all(const char* data, std::size_t size)
{
  while (size > 0) {
    const ssize_t n = ::write(g_fd, data, size);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return errno;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return 0;
}

extern "C" void write_pending_on_signal(int signal)
{
  const int saved = errno;
  if (g_data && g_size > 0) {
    write_all(g_data, g_size);
    g_size = 0;
  }
  errno = saved;
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

extern "C" void write_pending_at_exit()
{
  if (g_active && g_data && g_size > 0) {
    write_all(g_data, g_size);
    g_size = 0;
  }
}

} // namespace

BufferedStdout::BufferedStdout()
  : m_terminal(::isatty(STDOUT_FILENO) == 1)
{
  // Whatever stdio holds goes first, so that the order on stdout is kept.
  std::fflush(stdout);
  const int fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  g_fd = fd >= 0 ? fd : STDOUT_FILENO;
  g_capacity = 2 * k_block;
  g_data = static_cast<char*>(std::malloc(g_capacity));
  g_size = 0;
  g_active = true;
  static bool registered = false;
  if (!registered) {
    registered = std::atexit(write_pending_at_exit) == 0;
  }
  struct sigaction action
  {
  };
  action.sa_handler = write_pending_on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = static_cast<int>(SA_RESETHAND | SA_NODEFER); // the flags are unsigned macros; sa_flags is an int
  for (const int signal : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL}) {
    sigaction(signal, &action, nullptr);
  }
}

BufferedStdout::~BufferedStdout()
{
  flush();
  for (const int signal : {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL}) {
    std::signal(signal, SIG_DFL);
  }
  g_active = false;
  std::free(g_data);
  g_data = nullptr;
  if (g_fd != STDOUT_FILENO) {
    ::close(g_fd);
    g_fd = STDOUT_FILENO;
  }
  g_size = g_capacity = 0;
}

void BufferedStdout::append(std::string_view text)
{
  const std::size_t size = g_size;
  if (size + text.size() > g_capacity) {
    std::size_t capacity = g_capacity;
    while (size + text.size() > capacity) {
      capacity *= 2;
    }
    char* grown = static_cast<char*>(std::malloc(capacity));
    if (!grown) {
      throw std::bad_alloc();
    }
    std::memcpy(grown, g_data, size);
    char* old = g_data;
    g_data = grown; // the handler sees either buffer whole, with the same size
    g_capacity = capacity;
    std::free(old);
  }
  std::memcpy(g_data + size, text.data(), text.size());
  g_size = size + text.size();
}

int BufferedStdout::maybe_flush()
{
  return m_terminal || g_size >= k_block ? flush() : 0;
}

int BufferedStdout::flush()
{
  if (!g_data || g_size == 0) {
    return 0;
  }
  const std::size_t size = g_size;
  g_size = 0;
  return write_all(g_data, size);
}

} // namespace oex::cli
