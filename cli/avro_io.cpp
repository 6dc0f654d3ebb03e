#include "avro_io.hpp"

#include <cerrno>
#include <cstdio>
#include <system_error>

namespace oex::cli {

void write_stdout(std::string_view bytes)
{
  if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
    // main() turns this into what every command does on a failed write (stdout_failed): a
    // closed pipe ends oex by SIGPIPE, anything else is "cannot write to standard output".
    throw std::system_error(errno, std::generic_category(), "cannot write to standard output");
  }
}

} // namespace oex::cli
