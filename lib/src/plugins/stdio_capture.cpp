#include "plugins/stdio_capture.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "oex/util/error.hpp"

namespace oex {
namespace {

void close_fd(int& fd)
{
  if (fd >= 0) {
    close(fd);
    fd = -1;
  }
}

[[noreturn]] void fail(const char* what)
{
  throw Error(std::string("cannot capture a plugin's output: ") + what + ": "
              + std::strerror(errno));
}

} // namespace

StdioCapture::StdioCapture(std::size_t max_bytes)
{
  int data[2];
  int stop[2];
  if (pipe2(data, O_CLOEXEC) != 0) {
    fail("pipe");
  }
  if (pipe2(stop, O_CLOEXEC) != 0) {
    close(data[0]);
    close(data[1]);
    fail("pipe");
  }
  m_read = data[0];
  m_stop_read = stop[0];
  m_stop_write = stop[1];
  std::fflush(nullptr);
  m_saved_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  m_saved_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  dup2(data[1], STDOUT_FILENO);
  dup2(data[1], STDERR_FILENO);
  close(data[1]); // fds 1 and 2 now hold the write end
  fcntl(m_read, F_SETFL, O_NONBLOCK);
  m_drain = std::thread([this, max_bytes] {
    char buffer[65536];
    bool stopping = false;
    while (true) {
      pollfd fds[2] = {{m_read, POLLIN, 0}, {m_stop_read, POLLIN, 0}};
      if (!stopping && poll(fds, 2, -1) < 0 && errno != EINTR) {
        return;
      }
      stopping = stopping || (fds[1].revents != 0);
      const ssize_t n = ::read(m_read, buffer, sizeof buffer);
      if (n > 0) {
        m_captured.append({buffer, static_cast<std::size_t>(n)}, max_bytes);
      } else if (n == 0 || (errno != EINTR && (errno != EAGAIN || stopping))) {
        return; // closed, or told to stop with nothing left to read
      }
    }
  });
}

void StdioCapture::restore()
{
  if (m_restored) {
    return;
  }
  m_restored = true;
  std::fflush(nullptr); // what the plugin left in stdio's buffers is its output too
  dup2(m_saved_out, STDOUT_FILENO);
  dup2(m_saved_err, STDERR_FILENO);
  close_fd(m_saved_out);
  close_fd(m_saved_err);
  // Something the plugin left behind may still hold the write end: the thread stops when told,
  // after reading what is there.
  const char stop = 's';
  while (::write(m_stop_write, &stop, 1) < 0 && errno == EINTR) {
  }
  if (m_drain.joinable()) {
    m_drain.join();
  }
  close_fd(m_read);
  close_fd(m_stop_read);
  close_fd(m_stop_write);
}

CapturedStream StdioCapture::finish()
{
  restore();
  return std::move(m_captured);
}

StdioCapture::~StdioCapture()
{
  restore();
}

} // namespace oex
