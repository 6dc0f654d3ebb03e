// Receiver plugins: loading shared objects through the C ABI of oex/receiver.h, and calling
// their receivers in-process or, isolated, in a worker process per plugin.

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <set>

#include <sys/wait.h>
#include <unistd.h>

#include <dlfcn.h>

#include "oex/catalog/catalog.hpp"
#include "oex/plugins/receivers.hpp"
#include "oex/receiver.h"
#include "oex/util/error.hpp"
#include "oex/util/text.hpp"
#include "plugins/child_process.hpp"
#include "plugins/plugin_call.hpp"
#include "plugins/stdio_capture.hpp"
#include "plugins/worker_process.hpp"

namespace oex {
namespace {

int add_receiver(oex_registrar* registrar, const char* name, const char* pattern,
                 oex_receiver_fn fn, void* user_data)
{
  if (!registrar || !name || !*name || !pattern || !*pattern || !fn) {
    return -1;
  }
  const auto taken = [&](const oex_registrar::Entry& e) {
    return e.name == name;
  };
  if (std::any_of(registrar->entries.begin(), registrar->entries.end(), taken)) {
    return -1;
  }
  registrar->entries.push_back({name, pattern, fn, user_data});
  return 0;
}

const oex_plugin_api k_api{OEX_RECEIVER_ABI_VERSION, add_receiver};

ChildLimits child_limits(const ReceiverOptions& options)
{
  return {options.timeout, options.max_response_bytes, options.max_response_bytes + k_reply_header};
}

// Entry `index` of a plugin, called in-process or, given a worker, in the plugin's worker
// process (which the plugin's other receivers share).
class PluginReceiver : public Receiver
{
public:
  PluginReceiver(std::string name, oex_registrar::Entry entry, std::size_t index,
                 std::shared_ptr<WorkerProcess> worker, const ReceiverOptions& options)
    : m_name(std::move(name))
    , m_entry(std::move(entry))
    , m_index(index)
    , m_worker(std::move(worker))
    , m_options(options)
  {
  }

  const std::string& name() const override { return m_name; }

  ReceiverOutcome receive(const SignalEvent& event) override
  {
    const std::size_t max = m_options.max_response_bytes;
    if (!m_worker) {
      StdioCapture capture(max);
      ReceiverOutcome outcome = call_receiver(
        m_entry,
        {event.event.event_type, event.metadata_json, event.data_json, event.from_event_bus}, max);
      attach_output(outcome, capture.finish());
      return outcome;
    }
    const ChildRun run =
      m_worker->call(encode_request(m_index, event, max), child_limits(m_options));
    return decode_reply(run, m_options.timeout, max);
  }

private:
  std::string m_name;
  oex_registrar::Entry m_entry;
  std::size_t m_index;
  std::shared_ptr<WorkerProcess> m_worker;
  ReceiverOptions m_options;
};

// The first bytes of a file, to tell what it is when the dynamic loader refuses it.
std::string file_start(const std::string& path, std::size_t n)
{
  std::string bytes(n, '\0');
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) {
    return {};
  }
  bytes.resize(std::fread(bytes.data(), 1, n, file));
  std::fclose(file);
  return bytes;
}

// Why dlopen refused path, in words: not a shared object at all, or one this system cannot load.
std::string dlopen_failure(const std::string& path, const char* reason)
{
  const std::string start = file_start(path, 18);
  if (!start.starts_with("\x7f"
                         "ELF")) {
    return "not a shared object (no ELF header)";
  }
  // e_type, at offset 16, in the file's byte order (EI_DATA at offset 5: 1 little, 2 big).
  if (start.size() == 18) {
    const auto b = [&](std::size_t i) {
      return static_cast<unsigned>(static_cast<unsigned char>(start[i]));
    };
    const unsigned type = start[5] == 2 ? (b(16) << 8 | b(17)) : (b(17) << 8 | b(16));
    if (type == 1) {
      return "not a shared object (an ELF relocatable file: link it with -shared)";
    }
    if (type == 2) {
      return "not a shared object (an ELF executable)";
    }
  }
  return std::string("cannot be loaded: ") + (reason ? reason : "unknown reason");
}

// Opens the plugin at path (an absolute path) and registers its receivers; throws oex::Error
// saying why it cannot.
void* open_plugin(const std::string& path, oex_registrar& registrar)
{
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    throw Error(dlopen_failure(path, dlerror()));
  }
  auto version =
    reinterpret_cast<oex_plugin_abi_version_fn>(dlsym(handle, "oex_plugin_abi_version"));
  auto register_fn = reinterpret_cast<oex_plugin_register_fn>(dlsym(handle, "oex_plugin_register"));
  if (!version || !register_fn) {
    dlclose(handle);
    throw Error(std::string("not an oex plugin: it exports no ")
                + (!version && !register_fn ? "oex_plugin_abi_version and oex_plugin_register"
                   : !version               ? "oex_plugin_abi_version"
                                            : "oex_plugin_register"));
  }
  const std::uint32_t abi = version();
  if (abi != OEX_RECEIVER_ABI_VERSION) {
    dlclose(handle);
    throw Error("built for receiver ABI version " + std::to_string(abi)
                + ", but this oex supports version " + std::to_string(OEX_RECEIVER_ABI_VERSION));
  }
  const int code = register_fn(&k_api, &registrar);
  if (code != 0) {
    dlclose(handle);
    throw Error("oex_plugin_register failed (returned " + std::to_string(code) + ")");
  }
  return handle;
}

// The file a plugin path names, as an absolute path with no symbolic links (so that the dynamic
// loader does not search for a bare name, and one file given two ways is one plugin); throws
// oex::Error when there is no such file or it is not a regular file.
std::string resolve_plugin_path(const std::string& path)
{
  if (path.empty()) {
    throw Error("the path is empty");
  }
  std::error_code ec;
  const std::filesystem::path resolved = std::filesystem::canonical(path, ec);
  if (ec) {
    throw Error(ec == std::errc::no_such_file_or_directory ? "no such file" : ec.message());
  }
  if (std::filesystem::is_directory(resolved, ec)) {
    throw Error("is a directory");
  }
  if (access(resolved.c_str(), R_OK) != 0) {
    throw Error(std::string("cannot read it: ") + std::strerror(errno));
  }
  return resolved.string();
}

} // namespace

struct PluginSet::Impl
{
  struct Plugin
  {
    void* handle;
    std::string name;
    oex_registrar registrar;
    // The worker process of its isolated receivers, shared while any of them lives.
    std::weak_ptr<WorkerProcess> worker;
  };
  std::mutex mutex; // receivers_for may be called from several threads
  std::vector<Plugin> plugins;
  std::set<std::string> files; // the real paths loaded or refused
};

PluginSet::PluginSet()
  : m_impl(std::make_unique<Impl>())
{
}

PluginSet::~PluginSet()
{
  // Plugins stay mapped until exit: a receiver may have left threads or handlers behind.
}

bool PluginSet::load(const std::string& path, const ReceiverOptions& options)
{
  std::string file;
  try {
    file = resolve_plugin_path(path);
  } catch (const Error& e) {
    m_failures.push_back({path, e.what(), {}});
    return false;
  }
  if (!m_impl->files.insert(file).second) {
    // Loaded (or refused) already, under this name or another: one file is one plugin, as
    // Django connects a receiver once.
    return std::none_of(m_failures.begin(), m_failures.end(),
                        [&](const PluginLoadFailure& f) { return f.file == file; });
  }
  if (options.isolation == Isolation::on) {
    // A trial load in a child first: a plugin that crashes or hangs while loading is reported.
    const ChildRun trial = run_child(
      [&](int result_fd) {
        try {
          oex_registrar registrar;
          open_plugin(file, registrar);
          return write_all(result_fd, "ok") ? 0 : 1;
        } catch (const Error& e) {
          write_all(result_fd, e.what());
          return 2;
        }
      },
      {}, CaptureStdio::merged, child_limits(options));
    if (trial.result.head != "ok") {
      const std::string end = describe_child_end(trial, options.timeout);
      const bool said_why = WIFEXITED(trial.status) && WEXITSTATUS(trial.status) == 2;
      m_failures.push_back({path, said_why ? trial.result.head : "while loading: " + end, file});
      return false;
    }
  }
  Impl::Plugin plugin;
  CapturedStream output;
  try {
    // What the plugin prints while it loads must not reach oex's own output either.
    StdioCapture capture(options.max_response_bytes);
    plugin.handle = open_plugin(file, plugin.registrar);
    output = capture.finish();
  } catch (const Error& e) {
    m_failures.push_back({path, e.what(), file});
    return false;
  }
  plugin.name = std::filesystem::path(path).stem().string();
  LoadedPlugin info{path, plugin.name, {}, output.kept()};
  for (const auto& entry : plugin.registrar.entries) {
    info.receivers.push_back({entry.name, entry.pattern});
  }
  m_plugins.push_back(std::move(info));
  m_impl->plugins.push_back(std::move(plugin));
  return true;
}

std::vector<std::shared_ptr<Receiver>>
PluginSet::receivers_for(std::string_view event_type, const ReceiverOptions& options) const
{
  std::vector<std::shared_ptr<Receiver>> out;
  const std::lock_guard<std::mutex> lock(m_impl->mutex);
  for (auto& plugin : m_impl->plugins) {
    const auto& entries = plugin.registrar.entries;
    std::shared_ptr<WorkerProcess> worker;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (!glob_match(entries[i].pattern, event_type)) {
        continue;
      }
      if (options.isolation == Isolation::on && !worker) {
        worker = plugin.worker.lock();
        if (!worker) {
          // Started at its first call; it serves every receiver of the plugin.
          worker = std::make_shared<WorkerProcess>(
            [entries](std::string_view request) { return serve_request(entries, request); });
          plugin.worker = worker;
        }
      }
      out.push_back(std::make_shared<PluginReceiver>(plugin.name + ":" + entries[i].name,
                                                     entries[i], i, worker, options));
    }
  }
  return out;
}

std::vector<std::string> find_plugins(const std::string& dir)
{
  std::error_code ec;
  std::vector<std::string> paths;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".so") {
      paths.push_back(it->path().string());
    }
  }
  if (ec) {
    throw Error("cannot read plugin directory '" + dir + "': " + ec.message());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

} // namespace oex
