#include "plugins/stdio_capture.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "oex/util/error.hpp"

namespace oex {
namespace {

// The pipe behind every capture and the thread that drains it, made once: a thread per call
// would cost more than a call to a plugin.
class Drain
{
public:
  // Never destroyed: a forked child that calls exit() must not stop or join the parent's
  // thread, which it does not have; the thread ends with the process.
  static Drain& instance()
  {
    static Drain* const drain = new Drain;
    return *drain;
  }

  int write_fd() const { return m_write; }

  // From now on what is read goes to stream (nullptr: dropped).
  void direct_to(CapturedStream* stream, std::size_t limit)
  {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_stream = stream;
    m_limit = limit;
  }

  // Waits until everything written so far has been read into the stream, then stops sending
  // to it. Holding the lock, an empty pipe means the thread has nothing in hand either.
  void settle()
  {
    while (true) {
      {
        const std::lock_guard<std::mutex> lock(m_mutex);
        int pending = 0;
        if (ioctl(m_read, FIONREAD, &pending) != 0 || pending == 0) {
          m_stream = nullptr;
          return;
        }
      }
      std::this_thread::yield();
    }
  }

  Drain(const Drain&) = delete;
  Drain& operator=(const Drain&) = delete;

private:
  Drain()
  {
    int data[2];
    if (pipe2(data, O_CLOEXEC) != 0) {
      throw Error(std::string("cannot capture a plugin's output: ") + std::strerror(errno));
    }
    m_read = data[0];
    m_write = data[1];
    fcntl(m_read, F_SETFL, O_NONBLOCK);
    std::thread([this] { run(); }).detach();
  }

  void run()
  {
    char buffer[65536];
    while (true) {
      pollfd fd{m_read, POLLIN, 0};
      if (poll(&fd, 1, -1) < 0) {
        if (errno == EINTR) {
          continue;
        }
        return;
      }
      const std::lock_guard<std::mutex> lock(m_mutex);
      const ssize_t n = ::read(m_read, buffer, sizeof buffer);
      if (n > 0 && m_stream) {
        m_stream->append({buffer, static_cast<std::size_t>(n)}, m_limit);
      }
    }
  }

  int m_read = -1;
  int m_write = -1;
  std::mutex m_mutex;
  CapturedStream* m_stream = nullptr;
  std::size_t m_limit = 0;
};

// The state of the StdioCaptureHold that lives, if one does.
struct Hold
{
  bool active = false;
  bool redirected = false; // fds 1 and 2 are on the pipe; the originals are kept here
  int saved_out = -1;
  int saved_err = -1;
};

Hold g_hold;

void put_back(int& saved, int fd)
{
  if (saved >= 0) {
    dup2(saved, fd);
    close(saved);
    saved = -1;
  }
}

} // namespace

StdioCapture::StdioCapture(std::size_t max_bytes)
{
  Drain& drain = Drain::instance();
  drain.direct_to(&m_captured, max_bytes);
  if (g_hold.redirected) {
    m_held = true;
    return;
  }
  std::fflush(nullptr);
  m_saved_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  m_saved_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  dup2(drain.write_fd(), STDOUT_FILENO);
  dup2(drain.write_fd(), STDERR_FILENO);
  if (g_hold.active) {
    // The hold puts them back when it ends.
    g_hold.redirected = true;
    g_hold.saved_out = std::exchange(m_saved_out, -1);
    g_hold.saved_err = std::exchange(m_saved_err, -1);
    m_held = true;
  }
}

void StdioCapture::restore()
{
  if (m_restored) {
    return;
  }
  m_restored = true;
  std::fflush(nullptr); // what the plugin left in stdio's buffers is its output too
  if (!m_held) {
    put_back(m_saved_out, STDOUT_FILENO);
    put_back(m_saved_err, STDERR_FILENO);
  }
  // Everything written so far is in the stream; what the plugin left running may write on:
  // that goes to the pipe and is dropped (or, held, is the output of the capture it falls in).
  Drain::instance().settle();
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

StdioCaptureHold::StdioCaptureHold()
{
  g_hold = Hold{};
  g_hold.active = true;
}

StdioCaptureHold::~StdioCaptureHold()
{
  if (g_hold.redirected) {
    std::fflush(nullptr);
    put_back(g_hold.saved_out, STDOUT_FILENO);
    put_back(g_hold.saved_err, STDERR_FILENO);
  }
  g_hold = Hold{};
}

} // namespace oex
