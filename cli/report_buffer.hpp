#pragma once

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

namespace oex::cli {

// Standard output for a stream of reports (consume: one per message), written in large writes
// instead of one per report, and knowing how many whole reports reached the output: after a
// failed write (a full disk), what was written completely may be acknowledged and nothing else.
class ReportBuffer
{
public:
  // Writes at once when the buffer holds this many bytes, or after each report when
  // unbuffered (a terminal: each line as it comes). Makes stdout unbuffered: construct it
  // before anything is written there, and write there only through it.
  explicit ReportBuffer(std::size_t limit, bool unbuffered = false);

  // Adds one report's output (may be empty: the report still counts).
  void put(std::string_view text);
  // Writes everything buffered. A failed write throws std::system_error ("cannot write to
  // standard output", as write_stdout does) and keeps failing afterwards: nothing put after a
  // failure counts as written.
  void flush();
  // Reports put so far whose output was written completely.
  std::uint64_t written() const { return m_written; }

private:
  std::size_t m_limit;
  bool m_unbuffered;
  std::string m_out;
  std::vector<std::size_t> m_ends; // where each buffered report's output ends in m_out
  std::uint64_t m_written = 0;
  std::exception_ptr m_failed;
};

} // namespace oex::cli
