// oex plugins: what receiver plugins are found, what they listen to, and what failed to load.

#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "context.hpp"
#include "oex/util/text.hpp"
#include "plugin_options.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

struct PluginsCommandOptions
{
  PluginOptions plugins;
  bool json = false;
};

ExitCode run_plugins(const PluginsCommandOptions& options, Context&)
{
  PluginSet set;
  load_plugins(options.plugins, options.plugins.receiver_options(), set, false);
  if (options.json) {
    json out = {{"plugins", json::array()}, {"failures", json::array()}};
    for (const LoadedPlugin& plugin : set.plugins()) {
      json receivers = json::array();
      for (const auto& receiver : plugin.receivers) {
        receivers.push_back(
          {{"name", plugin.name + ":" + receiver.name}, {"event_types", receiver.pattern}});
      }
      out["plugins"].push_back({{"name", plugin.name},
                                {"path", plugin.path},
                                {"receivers", receivers},
                                {"output", plugin.output}});
    }
    for (const PluginLoadFailure& failure : set.failures()) {
      out["failures"].push_back({{"path", failure.path}, {"reason", failure.reason}});
    }
    fmt::print("{}\n", out.dump(2, ' ', false, json::error_handler_t::replace));
    return ExitCode::ok;
  }
  if (set.plugins().empty() && set.failures().empty()) {
    fmt::print(stderr, "oex: no plugins: give --plugin PATH or list folders in OEX_PLUGIN_PATH\n");
    return ExitCode::ok;
  }
  // Names and patterns come from the plugins: escaped, so that they cannot drive the terminal.
  for (const LoadedPlugin& plugin : set.plugins()) {
    fmt::print("{} ({})\n", escape_control(plugin.name), escape_control(plugin.path));
    for (const auto& receiver : plugin.receivers) {
      fmt::print("  {}:{}  listens to {}\n", escape_control(plugin.name),
                 escape_control(receiver.name), escape_control(receiver.pattern));
    }
    if (!plugin.output.empty()) {
      fmt::print("  printed while loading: {}\n", escape_control(plugin.output));
    }
  }
  for (const PluginLoadFailure& failure : set.failures()) {
    fmt::print("failed: {}: {}\n", escape_control(failure.path), escape_control(failure.reason));
  }
  return ExitCode::ok;
}

} // namespace

void add_plugins_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<PluginsCommandOptions>();
  options->plugins.add_plugin_option(sub);
  sub.add_flag("--json", options->json, "The same as JSON");
  sub.callback([options, &context] { context.exit_code = run_plugins(*options, context); });
}

} // namespace oex::cli
