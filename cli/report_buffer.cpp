#include "report_buffer.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <system_error>

#include "standard_streams.hpp"

namespace oex::cli {

ReportBuffer::ReportBuffer(std::size_t limit, bool unbuffered)
  : m_limit(limit)
  , m_unbuffered(unbuffered)
{
  std::setvbuf(stdout, nullptr, _IONBF, 0); // before anything is written to it
}

void ReportBuffer::put(std::string_view text)
{
  m_out.append(text);
  m_ends.push_back(m_out.size());
  if (m_unbuffered || m_out.size() >= m_limit) {
    flush();
  }
}

void ReportBuffer::flush()
{
  if (m_failed) {
    std::rethrow_exception(m_failed);
  }
  // stdout is unbuffered (this is its buffer), so fwrite writes through and says how much it
  // wrote; a failure also leaves stdout's error flag set, which main() looks at.
  std::size_t done = 0;
  int error = 0;
  if (!m_out.empty()) {
    errno = 0;
    done = std::fwrite(m_out.data(), 1, m_out.size(), stdout);
    if (done < m_out.size()) {
      error = note_stdout_error(errno);
    }
  }
  // The reports that went out whole.
  const auto whole = std::upper_bound(m_ends.begin(), m_ends.end(), done) - m_ends.begin();
  m_written += static_cast<std::uint64_t>(whole);
  if (error != 0) {
    m_out.clear();
    m_ends.clear();
    try {
      // main() makes of it what every command does on a failed write (stdout_failed).
      throw std::system_error(error, std::generic_category(), "cannot write to standard output");
    } catch (...) {
      m_failed = std::current_exception();
      throw;
    }
  }
  m_out.clear();
  m_ends.clear();
}

} // namespace oex::cli
