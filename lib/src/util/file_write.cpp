#include "oex/util/file_write.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oex/util/error.hpp"

namespace oex {
namespace {

[[noreturn]] void fail(const std::string& path, int error)
{
  throw Error("cannot write '" + path + "': " + std::strerror(error));
}

// Removes the temporary file unless the rename took it.
class TemporaryFile
{
public:
  explicit TemporaryFile(const std::string& path)
  {
    const std::filesystem::path target(path);
    const std::filesystem::path folder = target.has_parent_path() ? target.parent_path() : ".";
    m_name = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    m_fd = ::mkostemp(m_name.data(), O_CLOEXEC);
    if (m_fd < 0) {
      m_name.clear();
      fail(path, errno);
    }
  }
  ~TemporaryFile()
  {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
    if (!m_name.empty()) {
      ::unlink(m_name.c_str());
    }
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  int fd() const { return m_fd; }
  const std::string& name() const { return m_name; }
  // Closes the file; errno on failure.
  bool close()
  {
    const int fd = m_fd;
    m_fd = -1;
    return ::close(fd) == 0;
  }
  void keep() { m_name.clear(); }

private:
  std::string m_name;
  int m_fd = -1;
};

} // namespace

void write_file_atomically(const std::string& path, std::string_view text)
{
  TemporaryFile file(path);
  // mkstemp makes the file 0600; give it the mode a plain create would (0666 less the umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(file.fd(), 0666 & ~mask) != 0) {
    fail(path, errno);
  }
  for (std::size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(file.fd(), text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail(path, errno);
    }
    done += static_cast<std::size_t>(n);
  }
  // Flushed before the rename, so that a crash leaves the old file or the new one, not an empty
  // one (the rename can reach the disk before the data).
  if (::fsync(file.fd()) != 0 || !file.close()) {
    fail(path, errno);
  }
  if (::rename(file.name().c_str(), path.c_str()) != 0) {
    fail(path, errno);
  }
  file.keep();
}

} // namespace oex
