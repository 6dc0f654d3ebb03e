#include "progress.hpp"

#include <cstdio>

#include <fmt/core.h>
#include <unistd.h>

namespace oex::cli {

Progress::Progress(bool enabled)
  : m_enabled(enabled)
  , m_start(Clock::now())
  , m_last(m_start - std::chrono::seconds(1))
{
}

Progress::~Progress()
{
  clear();
}

bool Progress::stderr_is_terminal()
{
  return ::isatty(STDERR_FILENO) == 1;
}

void Progress::update(std::size_t lines, std::size_t findings)
{
  // Reading the clock for every line would cost more than checking a small payload.
  if (!m_enabled || (m_calls++ % 256 != 0 && m_shown)) {
    return;
  }
  const Clock::time_point now = Clock::now();
  if (now - m_last < std::chrono::milliseconds(250)) {
    return;
  }
  m_last = now;
  const double seconds = std::chrono::duration<double>(now - m_start).count();
  const auto rate = seconds > 0 ? static_cast<std::size_t>(static_cast<double>(lines) / seconds) : 0;
  std::fputs(fmt::format("\r\x1b[Koex: {} line{}, {} lines/s, {} finding{}", lines,
                         lines == 1 ? "" : "s", rate, findings, findings == 1 ? "" : "s")
               .c_str(),
             stderr);
  m_shown = true;
}

void Progress::clear()
{
  if (m_shown) {
    std::fputs("\r\x1b[K", stderr);
    m_shown = false;
  }
}

} // namespace oex::cli
