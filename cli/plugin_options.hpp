#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oex/plugins/receivers.hpp"

namespace CLI {
class App;
}

namespace oex::cli {

// The options of commands that load receiver plugins (--plugin) and call receivers
// (--no-isolate, --timeout, --max-response).
struct PluginOptions
{
  static constexpr double k_default_timeout_seconds = 30;

  std::vector<std::string> plugins; // --plugin, in order
  bool no_isolate = false;
  std::optional<double> timeout_seconds;
  std::optional<std::uint64_t> max_response; // checked by number_range

  // --plugin only: for commands that load plugins without calling them.
  void add_plugin_option(CLI::App& sub);
  // --plugin and the options that say how receivers are called.
  void add_to(CLI::App& sub);
  // Throws oex::Error for --timeout with --no-isolate (an in-process call cannot be stopped).
  ReceiverOptions receiver_options() const;
};

// The plugins named by --plugin and found in the OEX_PLUGIN_PATH folders, loaded in that order,
// each file once. A --plugin that fails to load throws oex::Error; failures from
// OEX_PLUGIN_PATH are kept in the set (and warned about when warn is true).
void load_plugins(const PluginOptions& options, const ReceiverOptions& receiver_options,
                  PluginSet& set, bool warn);

} // namespace oex::cli
