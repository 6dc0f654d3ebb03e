#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "oex/signal/signal.hpp"

namespace oex {

enum class Isolation { on, off };

struct ReceiverOptions
{
  static constexpr std::size_t k_default_max_response = 1 << 20; // 1 MiB

  Isolation isolation = Isolation::on;       // plugins: run calls in a worker process per plugin
  std::chrono::milliseconds timeout{30'000}; // per call, for isolated plugins and exec
  // Kept of each receiver's response, error message and output; the rest is read and dropped
  // (the receiver is never blocked) and the outcome says how much there was.
  std::size_t max_response_bytes = k_default_max_response;
};

// An exec receiver: runs `/bin/sh -c COMMAND` with the event as one JSON object on stdin
// (signal, sender, metadata, the data keys, from_event_bus). Its stdout is the response; a
// non-zero exit is an error whose message is the end of its stderr.
std::shared_ptr<Receiver> make_exec_receiver(std::string command, const ReceiverOptions& options);

// The JSON object an exec receiver reads.
std::string exec_event_json(const SignalEvent& event);

struct PluginReceiverInfo
{
  std::string name;
  std::string pattern; // event type, exactly or as a glob
};

struct LoadedPlugin
{
  std::string path; // as given
  std::string name; // the file name without directory and extension
  std::vector<PluginReceiverInfo> receivers;
  std::string output; // what it wrote to stdout or stderr while loading (kept up to the limit)
};

struct PluginLoadFailure
{
  std::string path; // as given
  std::string reason;
  std::string file; // the real path, when there is such a file
};

// Receiver plugins (oex/receiver.h) loaded from shared objects.
class PluginSet
{
public:
  PluginSet();
  ~PluginSet();
  PluginSet(const PluginSet&) = delete;
  PluginSet& operator=(const PluginSet&) = delete;

  // Loads the plugin at path (a bare file name is in the working directory); a failure
  // (missing file, not a shared object, no entry point, another ABI version, a failed or
  // crashing registration) is recorded, not thrown. A file already loaded (by its real path,
  // however it is named) is not loaded again: true when it loaded. With isolation on, the
  // plugin is first loaded in a child process, so that a crash or hang while loading cannot
  // take oex down. What it prints while loading is captured (LoadedPlugin::output).
  bool load(const std::string& path, const ReceiverOptions& options);

  const std::vector<LoadedPlugin>& plugins() const { return m_plugins; }
  const std::vector<PluginLoadFailure>& failures() const { return m_failures; }

  // The receivers listening to event_type, in load order then registration order, named
  // "plugin:receiver". Isolated, the receivers of one plugin share its worker process (with
  // those of earlier calls still alive): started at the first call, replaced after a crash, a
  // timeout or a call that left processes running, killed when the last of them is destroyed
  // (or at exit).
  std::vector<std::shared_ptr<Receiver>> receivers_for(std::string_view event_type,
                                                       const ReceiverOptions& options) const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::vector<LoadedPlugin> m_plugins;
  std::vector<PluginLoadFailure> m_failures;
};

// For a run of many events through the same receivers (send --jsonl): while it lives, a
// plugin receiver called in-process (Isolation::off) finds fds 1 and 2 (stdout and stderr)
// already on the pipe that captures its output. The first such call points them there and they
// are put back once, when the hold ends, instead of around every call (four dup2, two fcntl and
// two close a call). Each call's output is still that call's alone: what is written between
// calls is read and dropped. While it lives, nothing but the receivers may write to fds 1 and 2
// (nor to stdout and stderr through stdio): the holder writes its own output through
// descriptors it took before. One at a time, from one thread.
class StdioCaptureHold
{
public:
  StdioCaptureHold();
  ~StdioCaptureHold();
  StdioCaptureHold(const StdioCaptureHold&) = delete;
  StdioCaptureHold& operator=(const StdioCaptureHold&) = delete;
};

// The plugins (*.so) in dir, sorted; throws oex::Error when dir cannot be read.
std::vector<std::string> find_plugins(const std::string& dir);

} // namespace oex
