#include "input.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <fmt/core.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oex/util/error.hpp"

namespace oex::cli {
namespace {

class InputFile
{
public:
  explicit InputFile(const std::string& path)
    : m_path(path)
  {
    if (path == "-") {
      m_fd = STDIN_FILENO;
      return;
    }
    m_fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0) {
      fail();
    }
  }
  ~InputFile()
  {
    if (m_fd > STDIN_FILENO) {
      ::close(m_fd);
    }
  }
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  // The file's size when it is a regular file, else a small guess.
  std::size_t size_hint() const
  {
    struct stat info
    {
    };
    return fstat(m_fd, &info) == 0 && S_ISREG(info.st_mode) ? static_cast<std::size_t>(info.st_size)
                                                            : 4096;
  }

  // Reads up to size bytes; 0 at the end.
  std::size_t read(char* buffer, std::size_t size)
  {
    while (true) {
      const ssize_t n = ::read(m_fd, buffer, size);
      if (n >= 0) {
        return static_cast<std::size_t>(n);
      }
      if (errno != EINTR) {
        fail();
      }
    }
  }

private:
  [[noreturn]] void fail() const
  {
    throw Error("cannot read '" + input_name(m_path) + "': " + std::strerror(errno));
  }

  std::string m_path;
  int m_fd = -1;
};

} // namespace

std::string input_name(const std::string& path)
{
  return path == "-" ? "<stdin>" : path;
}

std::string read_input(const std::string& path, std::size_t max_bytes)
{
  InputFile file(path);
  std::string text;
  std::size_t size = 0;
  // Start from the file's size where there is one: a one-payload run should not zero (and so
  // fault in) buffers it does not need. Never hold more than max_bytes + 1.
  const std::size_t limit = max_bytes == std::numeric_limits<std::size_t>::max() ? max_bytes
                                                                                 : max_bytes + 1;
  std::size_t step = std::min(file.size_hint(), limit - 1) + 1;
  while (size < limit) {
    text.resize(std::min(size + step, limit));
    step = std::max<std::size_t>(step, 1 << 16);
    const std::size_t n = file.read(text.data() + size, text.size() - size);
    if (n == 0) {
      break;
    }
    size += n;
  }
  if (size > max_bytes) {
    throw Error(fmt::format("{}: document longer than {} bytes (--max-bytes)", input_name(path),
                            max_bytes));
  }
  text.resize(size);
  return text;
}

void for_each_line(const std::string& path, std::size_t max_line_bytes,
                   const std::function<bool(const InputLine& line)>& f)
{
  InputFile file(path);
  // Read in blocks of 128 KiB (grown for a longer line): a 1 MiB buffer cost ~0.5 ms of page
  // faults at the start of every run, about a quarter of the CPU time of a one-event run.
  constexpr std::size_t k_block = 1 << 17;
  constexpr std::size_t k_max_line = std::numeric_limits<std::size_t>::max() / 4;
  std::vector<char> buffer(k_block);
  std::size_t begin = 0;   // start of the unprocessed data
  std::size_t end = 0;     // end of the data read so far
  std::size_t dropped = 0; // inside an over-long line: how many of its bytes were dropped
  std::size_t number = 0;
  bool at_eof = false;
  while (true) {
    // Hand out every complete line in the buffer (at the end, the last one without a break).
    while (begin < end || (at_eof && dropped > 0)) {
      const void* found = std::memchr(buffer.data() + begin, '\n', end - begin);
      if (!found && !at_eof) {
        break;
      }
      const std::size_t stop =
        found ? static_cast<std::size_t>(static_cast<const char*>(found) - buffer.data()) : end;
      std::size_t length = stop - begin;
      if (length > 0 && buffer[begin + length - 1] == '\r') {
        --length;
      }
      ++number;
      InputLine line{std::string_view(buffer.data() + begin, length), number, 0};
      if (dropped > 0 || length > max_line_bytes) {
        line = InputLine{{}, number, dropped + length};
        dropped = 0;
      }
      if (!f(line)) {
        return;
      }
      begin = found ? stop + 1 : end;
    }
    if (at_eof) {
      return;
    }
    if (dropped > 0 || end - begin > max_line_bytes) {
      // Too long already: drop what there is and keep reading up to the line break.
      dropped += end - begin;
      begin = end = 0;
    } else {
      // Keep the partial line: move it to the front, grow the buffer if one line fills it.
      std::memmove(buffer.data(), buffer.data() + begin, end - begin);
      end -= begin;
      begin = 0;
      if (buffer.size() - end < k_block / 2) {
        // Room for a line of max_line_bytes and one more block, no more.
        const std::size_t cap = std::max(buffer.size(), std::min(max_line_bytes, k_max_line) + k_block);
        buffer.resize(std::min(buffer.size() * 2, cap));
      }
    }
    const std::size_t n = file.read(buffer.data() + end, buffer.size() - end);
    at_eof = n == 0;
    end += n;
  }
}

std::filesystem::path make_out_dir(const std::string& dir)
{
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec)) {
    throw Error("cannot create directory '" + dir + "': it exists and is not a directory");
  }
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw Error("cannot create directory '" + dir
                + "': " + (ec ? ec.message() : std::string("not a directory")));
  }
  return dir;
}

} // namespace oex::cli
