#include "support/subprocess.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace oex::test {

RunResult run(const std::string& program, const std::vector<std::string>& args,
              const RunOptions& options)
{
  // A child that exits without reading all its input (oex refusing its arguments) must not kill
  // the test runner: writing to it then fails with EPIPE instead of raising SIGPIPE here.
  static const bool k_sigpipe_ignored = std::signal(SIGPIPE, SIG_IGN) != SIG_ERR;
  (void)k_sigpipe_ignored;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) || pipe(out_pipe) || pipe(err_pipe)) {
    throw std::runtime_error("pipe failed");
  }
  const pid_t pid = fork();
  if (pid < 0) {
    throw std::runtime_error("fork failed");
  }
  if (pid == 0) {
    std::signal(SIGPIPE, SIG_DFL); // an ignored signal would stay ignored across exec
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    for (const auto& name : options.unset_env) {
      unsetenv(name.c_str());
    }
    for (const auto& [name, value] : options.set_env) {
      setenv(name.c_str(), value.c_str(), 1);
    }
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) {
      _exit(126);
    }
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& arg : args) {
      argv.push_back(const_cast<char*>(arg.c_str()));
    }
    argv.push_back(nullptr);
    execvp(program.c_str(), argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  RunResult result;
  std::size_t written = 0;
  bool in_open = true;
  if (options.input.empty()) {
    close(in_pipe[1]);
    in_open = false;
  }
  int open_outputs = 2;
  pollfd fds[3] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}, {in_pipe[1], POLLOUT, 0}};
  while (open_outputs > 0 || in_open) {
    const nfds_t count = in_open ? 3 : 2;
    if (poll(fds, count, -1) < 0 && errno != EINTR) {
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP))) {
        char buffer[65536];
        const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
        if (n <= 0) {
          close(fds[i].fd);
          fds[i].fd = -1;
          --open_outputs;
        } else {
          (i == 0 ? result.out : result.err).append(buffer, static_cast<std::size_t>(n));
        }
      }
    }
    if (in_open && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n =
        write(in_pipe[1], options.input.data() + written, options.input.size() - written);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
      }
      if (n < 0 && errno != EAGAIN) {
        written = options.input.size();
      }
      if (written >= options.input.size()) {
        close(in_pipe[1]);
        in_open = false;
      }
    }
  }
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

RunResult run_oex(const std::vector<std::string>& args, RunOptions options)
{
  options.set_env.emplace("NO_COLOR", "1");
  options.unset_env.push_back("OEX_DEFS_PATH");
  return run(OEX_BINARY, args, options);
}

RunResult run_oex_in_shell(const std::string& script, const std::vector<std::string>& args)
{
  std::vector<std::string> sh_args{"-c", script, OEX_BINARY};
  sh_args.insert(sh_args.end(), args.begin(), args.end());
  RunOptions options;
  options.set_env.emplace("NO_COLOR", "1");
  options.unset_env = {"OEX_DEFS_PATH", "OEX_PLUGIN_PATH"};
  return run("/bin/sh", sh_args, options);
}

std::string one_line(std::string text)
{
  std::replace(text.begin(), text.end(), '\n', ' ');
  return text;
}

TempDir::TempDir()
{
  std::string pattern = (std::filesystem::temp_directory_path() / "oex-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) {
    throw std::runtime_error("mkdtemp failed");
  }
  m_path = pattern;
}

TempDir::~TempDir()
{
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

std::string TempDir::write(const std::string& name, const std::string& text) const
{
  const std::string path = m_path + "/" + name;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string read_file(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace oex::test
