// Receiver plugins: loading shared objects through the C ABI of oex/receiver.h, and calling
// their receivers in-process or, isolated, in a child process per call.

#include <algorithm>
#include <cstring>
#include <filesystem>

#include <dlfcn.h>

#include "plugins/child_process.hpp"
#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"
#include "oex/receiver.h"
#include "oex/plugins/receivers.hpp"
#include "oex/util/text.hpp"

struct oex_registrar
{
  struct Entry
  {
    std::string name;
    std::string pattern;
    oex_receiver_fn fn;
    void* user_data;
  };
  std::vector<Entry> entries;
};

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

// Where a receiver's answer goes while it runs.
struct Reply
{
  int answers = 0;
  ReceiverOutcome outcome;
};

void respond(oex_event* event, const char* text)
{
  auto* reply = static_cast<Reply*>(event->host);
  if (++reply->answers == 1) {
    reply->outcome = ReceiverOutcome::respond(text ? text : "");
  }
}

void fail(oex_event* event, const char* message)
{
  auto* reply = static_cast<Reply*>(event->host);
  if (++reply->answers == 1) {
    reply->outcome = ReceiverOutcome::fail(message && *message ? message : "failed");
  }
}

ReceiverOutcome call_receiver(const oex_registrar::Entry& entry, const SignalEvent& event)
{
  const std::string event_type = event.event.event_type;
  const std::string metadata(event.metadata_json);
  const std::string data(event.data_json);
  Reply reply;
  oex_event c_event{event_type.c_str(),
                    metadata.c_str(),
                    data.c_str(),
                    event.from_event_bus ? 1 : 0,
                    respond,
                    fail,
                    &reply};
  entry.fn(&c_event, entry.user_data);
  if (reply.answers > 1) {
    return ReceiverOutcome::fail("the receiver answered " + std::to_string(reply.answers)
                                 + " times (respond or fail, at most once)");
  }
  return reply.outcome;
}

// The outcome as it crosses the result pipe: one letter (R response, N none, E error) + text.
std::string encode(const ReceiverOutcome& outcome)
{
  if (!outcome.ok) {
    return "E" + outcome.error;
  }
  return outcome.response ? "R" + *outcome.response : "N";
}

ReceiverOutcome decode(const ChildRun& run, std::chrono::milliseconds timeout)
{
  const std::string end = describe_child_end(run, timeout);
  if (!end.empty()) {
    return ReceiverOutcome::fail(end);
  }
  if (run.result.empty()) {
    return ReceiverOutcome::fail(
      "the receiver ended the process without answering (exit status 0)");
  }
  const std::string text = run.result.substr(1);
  switch (run.result[0]) {
  case 'R':
    return ReceiverOutcome::respond(text);
  case 'E':
    return ReceiverOutcome::fail(text);
  default:
    return ReceiverOutcome::none();
  }
}

class PluginReceiver : public Receiver
{
public:
  PluginReceiver(std::string name, oex_registrar::Entry entry, const ReceiverOptions& options)
    : m_name(std::move(name))
    , m_entry(std::move(entry))
    , m_options(options)
  {
  }

  const std::string& name() const override { return m_name; }

  ReceiverOutcome receive(const SignalEvent& event) override
  {
    if (m_options.isolation == Isolation::off) {
      return call_receiver(m_entry, event);
    }
    const ChildRun run = run_child(
      [&](int result_fd) {
        const std::string answer = encode(call_receiver(m_entry, event));
        return write_all(result_fd, answer) ? 0 : 1;
      },
      {}, CaptureStdio::no, m_options.timeout);
    return decode(run, m_options.timeout);
  }

private:
  std::string m_name;
  oex_registrar::Entry m_entry;
  ReceiverOptions m_options;
};

// Opens the plugin and registers its receivers; throws oex::Error saying why it cannot.
void* open_plugin(const std::string& path, oex_registrar& registrar)
{
  if (!std::filesystem::exists(path)) {
    throw Error("no such file");
  }
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* reason = dlerror();
    throw Error(reason ? reason : "cannot be loaded");
  }
  auto version =
    reinterpret_cast<oex_plugin_abi_version_fn>(dlsym(handle, "oex_plugin_abi_version"));
  auto register_fn = reinterpret_cast<oex_plugin_register_fn>(dlsym(handle, "oex_plugin_register"));
  if (!version || !register_fn) {
    dlclose(handle);
    throw Error("not an oex plugin: it exports no oex_plugin_abi_version and oex_plugin_register");
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

} // namespace

struct PluginSet::Impl
{
  struct Plugin
  {
    void* handle;
    std::string name;
    oex_registrar registrar;
  };
  std::vector<Plugin> plugins;
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
  if (options.isolation == Isolation::on) {
    // A trial load in a child first: a plugin that crashes or hangs while loading is reported.
    const ChildRun trial = run_child(
      [&](int result_fd) {
        try {
          oex_registrar registrar;
          open_plugin(path, registrar);
          return write_all(result_fd, "ok") ? 0 : 1;
        } catch (const Error& e) {
          write_all(result_fd, e.what());
          return 2;
        }
      },
      {}, CaptureStdio::no, options.timeout);
    if (trial.result != "ok") {
      const std::string end = describe_child_end(trial, options.timeout);
      const bool said_why = WIFEXITED(trial.status) && WEXITSTATUS(trial.status) == 2;
      m_failures.push_back({path, said_why ? trial.result : "while loading: " + end});
      return false;
    }
  }
  Impl::Plugin plugin;
  try {
    plugin.handle = open_plugin(path, plugin.registrar);
  } catch (const Error& e) {
    m_failures.push_back({path, e.what()});
    return false;
  }
  plugin.name = std::filesystem::path(path).stem().string();
  LoadedPlugin info{path, plugin.name, {}};
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
  for (const auto& plugin : m_impl->plugins) {
    for (const auto& entry : plugin.registrar.entries) {
      if (glob_match(entry.pattern, event_type)) {
        out.push_back(
          std::make_shared<PluginReceiver>(plugin.name + ":" + entry.name, entry, options));
      }
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
