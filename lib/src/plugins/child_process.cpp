#include "plugins/child_process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oex/util/error.hpp"

namespace oex {
namespace {

struct Pipe
{
  int read = -1;
  int write = -1;
};

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

std::string signal_name(int signal)
{
  const char* abbrev = sigabbrev_np(signal);
  return std::to_string(signal) + (abbrev ? std::string(" (SIG") + abbrev + ")" : "");
}

} // namespace

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

ChildRun run_child(const std::function<int(int)>& child_main, std::string_view input,
                   CaptureStdio capture, std::chrono::milliseconds timeout)
{
  // A child that stops reading must not kill oex with SIGPIPE.
  static const bool ignore_sigpipe = [] {
    struct sigaction current
    {
    };
    sigaction(SIGPIPE, nullptr, &current);
    if (current.sa_handler == SIG_DFL) {
      std::signal(SIGPIPE, SIG_IGN);
    }
    return true;
  }();
  (void)ignore_sigpipe;

  const bool captured = capture == CaptureStdio::yes;
  Pipe result = make_pipe();
  Pipe in, out, err;
  if (captured) {
    in = make_pipe();
    out = make_pipe();
    err = make_pipe();
  }
  std::fflush(nullptr); // nothing buffered may be written twice
  const pid_t pid = fork();
  if (pid < 0) {
    throw Error(std::string("cannot start a process: ") + std::strerror(errno));
  }
  if (pid == 0) {
    setpgid(0, 0);
    // The child's faults are its own: a crash must end it by its signal, whatever handlers the
    // host installed (a sanitizer's, say), and a command it runs gets SIGPIPE back.
    for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGPIPE}) {
      std::signal(signal, SIG_DFL);
    }
    if (captured) {
      dup2(in.read, STDIN_FILENO);
      dup2(out.write, STDOUT_FILENO);
      dup2(err.write, STDERR_FILENO);
    }
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
  std::size_t written = 0;
  if (captured && input.empty()) {
    close_fd(in.write);
  }
  if (in.write >= 0) {
    fcntl(in.write, F_SETFL, O_NONBLOCK);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    std::vector<pollfd> fds;
    std::vector<std::string*> sinks;
    for (auto [fd, sink] : {std::pair{result.read, &run.result}, std::pair{out.read, &run.out},
                            std::pair{err.read, &run.err}}) {
      if (fd >= 0) {
        fds.push_back({fd, POLLIN, 0});
        sinks.push_back(sink);
      }
    }
    if (fds.empty()) {
      break;
    }
    if (in.write >= 0) {
      fds.push_back({in.write, POLLOUT, 0});
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      run.timed_out = true;
      break;
    }
    if (poll(fds.data(), fds.size(), static_cast<int>(left.count())) < 0 && errno != EINTR) {
      break;
    }
    for (std::size_t i = 0; i < sinks.size(); ++i) {
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
        char buffer[65536];
        const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n > 0) {
          sinks[i]->append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          for (int* fd : {&result.read, &out.read, &err.read}) {
            if (*fd == fds[i].fd) {
              close_fd(*fd);
            }
          }
        }
      }
    }
    if (in.write >= 0 && (fds.back().revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = ::write(in.write, input.data() + written, input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      if ((n < 0 && errno != EAGAIN && errno != EINTR) || written == input.size()) {
        close_fd(in.write);
      }
    }
  }
  if (run.timed_out) {
    kill(-pid, SIGKILL);
  }
  for (int* fd : {&result.read, &out.read, &err.read, &in.write}) {
    close_fd(*fd);
  }
  while (waitpid(pid, &run.status, 0) < 0 && errno == EINTR) {
  }
  if (!run.timed_out) {
    kill(-pid, SIGKILL); // whatever the child left running in its group
  }
  return run;
}

std::string describe_child_end(const ChildRun& run, std::chrono::milliseconds timeout)
{
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
