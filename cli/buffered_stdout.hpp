#pragma once

#include <string>
#include <string_view>

namespace oex::cli {

// Standard output for a long run that calls receivers: text is gathered and written in large
// blocks (or at once when stdout is a terminal, for a person watching), and what is still
// gathered is written out if oex dies of a fatal signal or a receiver called in-process ends
// the process with exit(): nothing reported before a crash is lost. One instance at a time.
class BufferedStdout
{
public:
  BufferedStdout();
  ~BufferedStdout(); // writes what is left, ignoring errors (call flush() to see them)
  BufferedStdout(const BufferedStdout&) = delete;
  BufferedStdout& operator=(const BufferedStdout&) = delete;

  void append(std::string_view text);
  // Writes when enough is gathered (or stdout is a terminal): 0, or the errno of a failed write.
  int maybe_flush();
  // Writes everything gathered: 0, or the errno of a failed write (EPIPE included).
  int flush();

private:
  bool m_terminal = false;
};

} // namespace oex::cli
