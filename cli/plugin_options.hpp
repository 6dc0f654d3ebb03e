#pragma once

#include <string>
#include <vector>

#include "oex/plugins/receivers.hpp"

namespace CLI {
class App;
}

namespace oex::cli {

// The options every command that loads receiver plugins shares.
struct PluginOptions
{
  std::vector<std::string> plugins; // --plugin, in order
  bool no_isolate = false;
  double timeout_seconds = 30;

  void add_to(CLI::App& sub);
  ReceiverOptions receiver_options() const;
};

// The plugins named by --plugin and found in the OEX_PLUGIN_PATH folders, loaded in that order.
// A --plugin that fails to load throws oex::Error; failures from OEX_PLUGIN_PATH are kept in the
// set (and warned about when warn is true).
void load_plugins(const PluginOptions& options, PluginSet& set, bool warn);

} // namespace oex::cli
