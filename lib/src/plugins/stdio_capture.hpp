#pragma once

// Capturing what in-process code writes to file descriptors 1 and 2 (stdout and stderr), so that
// a plugin called without isolation cannot write into oex's own output.

#include <cstddef>

#include "oex/plugins/receivers.hpp"
#include "plugins/child_process.hpp"

namespace oex {

// While it lives, fds 1 and 2 go to a pipe that one thread (started on first use, for the
// whole process) drains into a CapturedStream, kept up to max_bytes: the rest is read and
// dropped, so the writer never blocks. finish() restores them, or, while a StdioCaptureHold
// lives (oex/plugins/receivers.hpp), leaves them on the pipe and only waits until what was
// written is in the stream. Throws oex::Error when the pipe cannot be made. One at a time,
// from one thread.
class StdioCapture
{
public:
  explicit StdioCapture(std::size_t max_bytes);
  ~StdioCapture();
  StdioCapture(const StdioCapture&) = delete;
  StdioCapture& operator=(const StdioCapture&) = delete;

  // Flushes stdio, puts fds 1 and 2 back (unless held) and returns what was written in between.
  CapturedStream finish();

private:
  void restore();

  int m_saved_out = -1;
  int m_saved_err = -1;
  bool m_held = false; // fds 1 and 2 stay on the pipe: a StdioCaptureHold puts them back
  bool m_restored = false;
  CapturedStream m_captured;
};

} // namespace oex
