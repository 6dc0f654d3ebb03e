#pragma once

#include <chrono>
#include <cstddef>

namespace oex::cli {

// A one-line progress display on stderr for long runs: "oex: N lines, R lines/s, F findings",
// redrawn in place at most 4 times a second (the first time at once) and erased by clear().
// Does nothing unless it was enabled (stderr is a terminal).
class Progress
{
public:
  explicit Progress(bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // True when stderr is a terminal, where a progress line can be drawn.
  static bool stderr_is_terminal();

  void update(std::size_t lines, std::size_t findings);
  // Erases the line (before other output reaches the terminal); the next update draws it again.
  void clear();

private:
  using Clock = std::chrono::steady_clock;
  bool m_enabled;
  bool m_shown = false;
  Clock::time_point m_start;
  Clock::time_point m_last;
  std::size_t m_calls = 0;
};

} // namespace oex::cli
