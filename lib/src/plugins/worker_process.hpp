#pragma once

// A long-lived child process that serves calls over pipes: the isolation of plugin receivers
// without a fork per event.

#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "plugins/child_process.hpp"

namespace oex {

// What the child does with one request: the reply it sends back. Runs in the child, with
// stdout and stderr going to the caller's capture. An exception that escapes it aborts the
// child.
using WorkerServe = std::function<std::string(std::string_view request)>;

// One child process, started at the first call and again after it ended. Each call sends one
// length-prefixed request on a pipe and waits for one length-prefixed reply on another, while
// what the child writes to fds 1 and 2 is captured as the call's output. A call whose child
// crashes, exits, hangs past the timeout or breaks the protocol ends with the child's whole
// process group killed and reaped, and is reported as ChildRun would report it; the next call
// starts a fresh child. So does a call after which the child left processes running (they are
// killed when the call ends, as they were with a child per call). Calls are serialised.
// Destroying the worker kills its group and reaps it; so does oex's exit (atexit).
class WorkerProcess
{
public:
  explicit WorkerProcess(WorkerServe serve);
  ~WorkerProcess();
  WorkerProcess(const WorkerProcess&) = delete;
  WorkerProcess& operator=(const WorkerProcess&) = delete;

  // Throws oex::Error when the child's pipes or the fork cannot be made. run.result.head is
  // the reply when the child answered (run.status 0, not timed out, no failure).
  ChildRun call(std::string_view request, const ChildLimits& limits);

private:
  void start();
  // Kills the child's group, reaps the child (its status into status, when given) and closes
  // the pipes.
  void stop(int* status = nullptr);

  WorkerServe m_serve;
  std::mutex m_mutex;
  int m_pid = 0;
  int m_pid_fd = -1;
  int m_request = -1; // the parent's ends
  int m_reply = -1;
  int m_output = -1;
};

} // namespace oex
