#include "plugins/worker_process.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oex/util/error.hpp"

namespace oex {
namespace {

// Frames are a length (8 bytes, little-endian) and that many bytes. A reply's bytes start with
// one byte of flags.
constexpr std::size_t k_length_bytes = 8;
constexpr unsigned char k_left_processes = 1; // the child has children still running

// Read from the output pipe at a time, so that a receiver's thread that writes without pause
// cannot keep oex from its deadline.
constexpr std::size_t k_read_budget = 4 << 20;

// Where the child keeps its protocol fds: high, out of the way of what a plugin opens or closes.
constexpr int k_high_fd = 100;

std::string frame_header(std::size_t size)
{
  std::string header(k_length_bytes, '\0');
  for (std::size_t i = 0; i < k_length_bytes; ++i) {
    header[i] = static_cast<char>((static_cast<std::uint64_t>(size) >> (8 * i)) & 0xFF);
  }
  return header;
}

std::uint64_t frame_length(const char* header)
{
  std::uint64_t size = 0;
  for (std::size_t i = 0; i < k_length_bytes; ++i) {
    size |= static_cast<std::uint64_t>(static_cast<unsigned char>(header[i])) << (8 * i);
  }
  return size;
}

// The workers alive in this process: a new child closes the others' pipes (so that each child
// sees its request pipe close when oex goes, and none holds another's open), and oex's exit
// kills them all. Never destroyed: a child that calls exit() must find it intact. A forked copy
// of oex (a worker, or what a plugin forks) that calls exit() leaves them alone: they are not
// its children.
class Registry
{
public:
  static Registry& instance()
  {
    static Registry* const registry = new Registry;
    return *registry;
  }

  void add(const WorkerProcess* worker, int pid, std::array<int, 4> fds)
  {
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_live.push_back({worker, pid, getpid(), fds});
  }

  void remove(const WorkerProcess* worker)
  {
    const std::lock_guard<std::mutex> lock(m_mutex);
    std::erase_if(m_live, [&](const Live& live) { return live.worker == worker; });
  }

  std::vector<int> all_fds()
  {
    const std::lock_guard<std::mutex> lock(m_mutex);
    std::vector<int> fds;
    for (const Live& live : m_live) {
      fds.insert(fds.end(), live.fds.begin(), live.fds.end());
    }
    return fds;
  }

  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

private:
  Registry()
  {
    std::atexit([] { instance().kill_all(); });
  }

  void kill_all()
  {
    const pid_t self = getpid();
    const std::lock_guard<std::mutex> lock(m_mutex);
    // Not reaped here: a worker destroyed later (a static one) still kills and reaps its own,
    // and until then its id, a zombie's, cannot be reused. What is left goes to init.
    for (const Live& live : m_live) {
      if (live.parent == self) {
        kill(-live.pid, SIGKILL);
      }
    }
  }

  struct Live
  {
    const WorkerProcess* worker;
    int pid;
    int parent;
    std::array<int, 4> fds;
  };
  std::mutex m_mutex;
  std::vector<Live> m_live;
};

// fd moved to k_high_fd or above, closed on exec (a command the plugin runs does not get it).
int move_high(int fd)
{
  const int high = fcntl(fd, F_DUPFD_CLOEXEC, k_high_fd);
  if (high < 0) {
    return fd;
  }
  close(fd);
  return high;
}

// Reads one request frame into request; false when the pipe closed (oex went) or failed.
bool read_request(int fd, std::string& buffer, std::string& request)
{
  std::size_t have = 0;
  std::size_t need = k_length_bytes;
  buffer.resize(std::max<std::size_t>(buffer.size(), 65536));
  while (have < need) {
    const ssize_t n = ::read(fd, buffer.data() + have, buffer.size() - have);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return false;
    }
    have += static_cast<std::size_t>(n);
    if (need == k_length_bytes && have >= k_length_bytes) {
      need = k_length_bytes + frame_length(buffer.data());
      if (buffer.size() < need) {
        buffer.resize(need);
      }
    }
  }
  request.assign(buffer.data() + k_length_bytes, need - k_length_bytes);
  return true;
}

// The child: reads requests until oex closes the pipe. Before each call its stdin is
// /dev/null and its stdout and stderr the output pipe again, whatever the last call did to them.
[[noreturn]] void serve_forever(const WorkerServe& serve, int request_fd, int reply_fd,
                                int output_fd, int null_fd)
{
  const pid_t self = getpid();
  std::string buffer;
  std::string request;
  std::string frame;
  while (read_request(request_fd, buffer, request)) {
    dup2(null_fd, STDIN_FILENO);
    dup2(output_fd, STDOUT_FILENO);
    dup2(output_fd, STDERR_FILENO);
    std::string reply;
    try {
      reply = serve(request);
    } catch (...) {
      std::abort(); // as an exception that escapes a receiver would in any process
    }
    std::fflush(nullptr); // what the receiver left in stdio's buffers is its output
    if (getpid() != self) {
      _exit(0); // a process the receiver forked returned here: it must not answer
    }
    // Zombies are reaped here; children still running are killed by oex when the call ends.
    int reaped = 0;
    while ((reaped = waitpid(-1, nullptr, WNOHANG)) > 0) {
    }
    const unsigned char flags = reaped == 0 ? k_left_processes : 0;
    frame = frame_header(reply.size() + 1);
    frame += static_cast<char>(flags);
    frame += reply;
    if (!write_all(reply_fd, frame)) {
      _exit(1);
    }
  }
  _exit(0);
}

} // namespace

WorkerProcess::WorkerProcess(WorkerServe serve)
  : m_serve(std::move(serve))
{
}

WorkerProcess::~WorkerProcess()
{
  const std::lock_guard<std::mutex> lock(m_mutex);
  stop();
}

void WorkerProcess::start()
{
  Registry& registry = Registry::instance();
  Pipe request = make_pipe();
  Pipe reply = make_pipe();
  Pipe output = make_pipe();
  const std::vector<int> others = registry.all_fds();
  const pid_t parent = getpid();
  std::fflush(nullptr); // nothing buffered may be written twice
  const pid_t pid = fork();
  if (pid < 0) {
    const int error = errno;
    for (Pipe* pipe : {&request, &reply, &output}) {
      close_fd(pipe->read);
      close_fd(pipe->write);
    }
    throw Error(std::string("cannot start a process: ") + std::strerror(error));
  }
  if (pid == 0) {
    setpgid(0, 0);
    restore_fault_signals();
    // What the receiver leaves behind when its own child exits is reparented here, so that it
    // is seen (and killed by oex) rather than lost to init.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    // Killed when oex dies, even in the middle of a call that hangs. (The signal comes when
    // the thread that started the worker ends, too: the next call then starts a fresh one.)
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) {
      _exit(0);
    }
    for (int fd : others) {
      if (fd != request.read && fd != reply.write && fd != output.write) {
        close(fd);
      }
    }
    close(request.write);
    close(reply.read);
    close(output.read);
    const int null_fd = move_high(open("/dev/null", O_RDWR | O_CLOEXEC));
    serve_forever(m_serve, move_high(request.read), move_high(reply.write), move_high(output.write),
                  null_fd);
  }
  setpgid(pid, pid); // also from here, so the group exists before any kill
  close_fd(request.read);
  close_fd(reply.write);
  close_fd(output.write);
  for (int fd : {request.write, reply.read, output.read}) {
    fcntl(fd, F_SETFL, O_NONBLOCK);
  }
  m_pid = pid;
  m_request = request.write;
  m_reply = reply.read;
  m_output = output.read;
  // The child's end wakes poll through a pidfd; without one (old kernels), poll wakes often
  // enough to look.
  m_pid_fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  registry.add(this, pid, {m_request, m_reply, m_output, m_pid_fd});
}

void WorkerProcess::stop(int* status)
{
  if (m_pid <= 0) {
    return;
  }
  // Killed while still a zombie at worst: its id, the group's, cannot have been reused.
  kill(-m_pid, SIGKILL);
  int ignored = 0;
  while (waitpid(m_pid, status ? status : &ignored, 0) < 0 && errno == EINTR) {
  }
  Registry::instance().remove(this);
  for (int* fd : {&m_request, &m_reply, &m_output, &m_pid_fd}) {
    close_fd(*fd);
  }
  m_pid = 0;
}

ChildRun WorkerProcess::call(std::string_view request, const ChildLimits& limits)
{
  const std::lock_guard<std::mutex> lock(m_mutex);
  ignore_sigpipe();
  if (m_pid > 0) {
    // A child that ended between calls, or that something wrote for since the last reply, is
    // replaced; output written between calls (by what a receiver left running) is dropped.
    std::array<pollfd, 3> fds{pollfd{m_reply, POLLIN, 0}, pollfd{m_output, POLLIN, 0},
                              pollfd{m_pid_fd, POLLIN, 0}};
    poll(fds.data(), fds.size(), 0);
    if ((fds[1].revents & (POLLIN | POLLHUP)) != 0) {
      CapturedStream dropped;
      read_available(m_output, dropped, 0, k_read_budget);
    }
    if (fds[0].revents != 0 || m_output < 0 || fds[2].revents != 0
        || (m_pid_fd < 0 && has_ended(m_pid))) {
      stop();
    }
  }
  if (m_pid <= 0) {
    start();
  }

  ChildRun run;
  const std::string frame = frame_header(request.size()) + std::string(request);
  std::size_t written = 0;
  const auto write_request = [&] {
    const ssize_t n = ::write(m_request, frame.data() + written, frame.size() - written);
    if (n > 0) {
      written += static_cast<std::size_t>(n);
    } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
      close_fd(m_request); // the child stopped reading: its end tells the rest
    }
  };
  write_request();
  std::string reply;
  const std::size_t max_frame = k_length_bytes + 1 + limits.max_result_bytes;
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  enum class End { waiting, answered, ended, timed_out, broken } end = End::waiting;
  bool reply_open = true; // the child may close it (a receiver that closes every fd)
  while (end == End::waiting) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      end = End::timed_out;
      break;
    }
    // The reply first: when poll sees it, the output written before it is seen too.
    std::array<pollfd, 4> fds{pollfd{reply_open ? m_reply : -1, POLLIN, 0},
                              pollfd{m_output, POLLIN, 0}, pollfd{m_pid_fd, POLLIN, 0},
                              pollfd{-1, POLLOUT, 0}};
    if (m_request >= 0 && written < frame.size()) {
      fds[3].fd = m_request;
    }
    // Rounded up, so that a deadline less than a millisecond away is not a busy loop.
    const long wait_ms = m_pid_fd >= 0 ? left.count() + 1 : std::min<long>(left.count() + 1, 10);
    if (poll(fds.data(), fds.size(), static_cast<int>(wait_ms)) < 0 && errno != EINTR) {
      throw Error(std::string("cannot wait for a receiver: ") + std::strerror(errno));
    }
    if (fds[3].revents != 0) {
      write_request();
    }
    if (fds[1].revents != 0 && m_output >= 0) {
      read_available(m_output, run.out, limits.max_bytes, k_read_budget);
    }
    if (fds[0].revents != 0) {
      char buffer[65536];
      ssize_t n = 0;
      while ((n = ::read(m_reply, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
        reply.append(buffer, static_cast<std::size_t>(std::max<ssize_t>(n, 0)));
        if (reply.size() > max_frame || n < static_cast<ssize_t>(sizeof buffer)) {
          break;
        }
      }
      reply_open = n != 0;
    }
    if (reply.size() >= k_length_bytes) {
      const std::uint64_t length = frame_length(reply.data());
      if (length == 0 || length > max_frame - k_length_bytes
          || reply.size() > k_length_bytes + length) {
        end = End::broken;
      } else if (reply.size() == k_length_bytes + length) {
        end = End::answered;
      }
    }
    if (end == End::waiting && (m_pid_fd < 0 || fds[2].revents != 0) && has_ended(m_pid)) {
      end = End::ended;
    }
  }

  if (end == End::answered) {
    // What the receiver printed went to the output pipe before the reply was written.
    if (m_output >= 0) {
      read_available(m_output, run.out, limits.max_bytes, k_read_budget);
    }
    const bool left_processes =
      (static_cast<unsigned char>(reply[k_length_bytes]) & k_left_processes) != 0;
    run.result.append(std::string_view(reply).substr(k_length_bytes + 1), limits.max_result_bytes);
    if (left_processes || m_output < 0 || m_request < 0) {
      // The call ends with what the receiver left running, as with a child per call; a child
      // whose pipes were closed cannot serve another call.
      stop();
    }
    return run;
  }
  run.timed_out = end == End::timed_out;
  if (end == End::broken) {
    run.failure = "the receiver wrote into oex's reply pipe (the protocol between oex and the "
                  "receiver's process broke)";
  }
  const int pid = m_pid;
  kill(-pid, SIGKILL);
  if (end == End::ended && m_output >= 0) {
    // What it wrote before it ended is kept; the group is gone, so the pipe ends.
    read_available(m_output, run.out, limits.max_bytes, k_read_budget);
  }
  stop(&run.status);
  return run;
}

} // namespace oex
