#include "plugins/child_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oex/util/error.hpp"

namespace oex {
namespace {

std::string signal_name(int signal)
{
  const char* abbrev = sigabbrev_np(signal);
  return std::to_string(signal) + (abbrev ? std::string(" (SIG") + abbrev + ")" : "");
}

} // namespace

Pipe make_pipe()
{
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  }
  return {fds[0], fds[1]};
}

void close_fd(int& fd)
{
  if (fd >= 0) {
    close(fd);
    fd = -1;
  }
}

void ignore_sigpipe()
{
  static const bool ignored = [] {
    struct sigaction current
    {
    };
    sigaction(SIGPIPE, nullptr, &current);
    if (current.sa_handler == SIG_DFL) {
      std::signal(SIGPIPE, SIG_IGN);
    }
    return true;
  }();
  (void)ignored;
}

void restore_fault_signals()
{
  // A command the child runs gets SIGPIPE back too.
  for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGPIPE}) {
    std::signal(signal, SIG_DFL);
  }
}

void CapturedStream::append(std::string_view bytes, std::size_t limit)
{
  total += bytes.size();
  if (head.size() < limit) {
    head.append(bytes.substr(0, limit - head.size()));
  }
  // The tail is kept within twice its size, so appending stays cheap.
  if (bytes.size() >= k_tail) {
    tail.assign(bytes.substr(bytes.size() - k_tail));
  } else {
    tail.append(bytes);
    if (tail.size() > 2 * k_tail) {
      tail.erase(0, tail.size() - k_tail);
    }
  }
}

std::string CapturedStream::kept() const
{
  if (!truncated()) {
    return head;
  }
  // Back to the start of the last sequence; drop it when it is shorter than its lead byte says.
  std::size_t start = head.size();
  for (int i = 0; i < 4 && start > 0; ++i) {
    const auto c = static_cast<unsigned char>(head[--start]);
    if ((c & 0xC0) != 0x80) {
      const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return head.size() - start < need ? head.substr(0, start) : head;
    }
  }
  return head;
}

std::string_view CapturedStream::last() const
{
  std::string_view view = tail;
  return view.size() > k_tail ? view.substr(view.size() - k_tail) : view;
}

bool write_all(int fd, std::string_view text)
{
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

namespace {

// A pipe the parent reads from, and where its bytes go.
struct Source
{
  int fd;
  CapturedStream* into;
  std::size_t limit;
};

bool read_available(Source& source)
{
  return read_available(source.fd, *source.into, source.limit);
}

} // namespace

bool read_available(int& fd, CapturedStream& into, std::size_t limit, std::size_t budget)
{
  char buffer[65536];
  std::size_t taken = 0;
  while (taken < budget) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
      into.append({buffer, static_cast<std::size_t>(n)}, limit);
      taken += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      return true;
    }
    close_fd(fd);
    return false;
  }
  return true;
}

bool has_ended(int pid)
{
  siginfo_t info{};
  while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) < 0) {
    if (errno != EINTR) {
      return true; // no such child: nothing to wait for
    }
  }
  return info.si_pid == pid;
}

ChildRun run_child(const std::function<int(int)>& child_main, std::string_view input,
                   CaptureStdio capture, const ChildLimits& limits)
{
  ignore_sigpipe();

  const bool merged = capture == CaptureStdio::merged;
  Pipe result = make_pipe();
  Pipe in = make_pipe();
  Pipe out = make_pipe();
  Pipe err;
  if (!merged) {
    err = make_pipe();
  }
  std::fflush(nullptr); // nothing buffered may be written twice
  const pid_t pid = fork();
  if (pid < 0) {
    throw Error(std::string("cannot start a process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    setpgid(0, 0);
    restore_fault_signals();
    dup2(in.read, STDIN_FILENO);
    dup2(out.write, STDOUT_FILENO);
    dup2(merged ? out.write : err.write, STDERR_FILENO);
    // The result pipe stays open in the child across exec only if child_main wants it.
    const int code = child_main(result.write);
    _exit(code);
  }
  setpgid(pid, pid); // also from here, so the group exists before any kill
  close_fd(result.write);
  close_fd(in.read);
  close_fd(out.write);
  close_fd(err.write);

  ChildRun run;
  std::vector<Source> sources{{result.read, &run.result, limits.max_result_bytes},
                              {out.read, &run.out, limits.max_bytes}};
  if (!merged) {
    sources.push_back({err.read, &run.err, limits.max_bytes});
  }
  for (const Source& source : sources) {
    fcntl(source.fd, F_SETFL, O_NONBLOCK);
  }
  std::size_t written = 0;
  if (input.empty()) {
    close_fd(in.write);
  } else {
    fcntl(in.write, F_SETFL, O_NONBLOCK);
  }
  // The child's end wakes poll through a pidfd; without one (old kernels), poll wakes often
  // enough to look.
  int pid_fd = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
  const auto deadline = std::chrono::steady_clock::now() + limits.timeout;
  bool ended = false;
  while (!(ended = has_ended(pid))) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      run.timed_out = true;
      break;
    }
    std::vector<pollfd> fds;
    for (const Source& source : sources) {
      if (source.fd >= 0) {
        fds.push_back({source.fd, POLLIN, 0});
      }
    }
    if (in.write >= 0) {
      fds.push_back({in.write, POLLOUT, 0});
    }
    if (pid_fd >= 0) {
      fds.push_back({pid_fd, POLLIN, 0});
    }
    const long wait_ms = pid_fd >= 0 ? left.count() : std::min<long>(left.count(), 10);
    if (poll(fds.data(), fds.size(), static_cast<int>(wait_ms)) < 0 && errno != EINTR) {
      break;
    }
    for (Source& source : sources) {
      if (source.fd >= 0) {
        read_available(source);
      }
    }
    if (in.write >= 0) {
      const ssize_t n = ::write(in.write, input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
        close_fd(in.write);
      }
    }
  }
  // The child's exit ends the call: whatever it left running in its group goes, and what was
  // written before is kept.
  kill(-pid, SIGKILL);
  if (ended) {
    for (Source& source : sources) {
      if (source.fd >= 0) {
        read_available(source);
      }
    }
  }
  for (Source& source : sources) {
    close_fd(source.fd);
  }
  close_fd(in.write);
  close_fd(pid_fd);
  while (waitpid(pid, &run.status, 0) < 0 && errno == EINTR) {
  }
  return run;
}

std::string describe_child_end(const ChildRun& run, std::chrono::milliseconds timeout)
{
  if (!run.failure.empty()) {
    return run.failure;
  }
  if (run.timed_out) {
    const auto ms = timeout.count();
    return ms % 1000 == 0 ? "timed out after " + std::to_string(ms / 1000) + " s"
                          : "timed out after " + std::to_string(ms) + " ms";
  }
  if (WIFSIGNALED(run.status)) {
    return "crashed: signal " + signal_name(WTERMSIG(run.status));
  }
  if (WIFEXITED(run.status) && WEXITSTATUS(run.status) != 0) {
    return "exited with status " + std::to_string(WEXITSTATUS(run.status));
  }
  return "";
}

} // namespace oex
