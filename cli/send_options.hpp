#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "exit_codes.hpp"
#include "plugin_options.hpp"

namespace oex {
class PublicSignal;
}

namespace oex::cli {

struct SendOptions
{
  std::string event_type;
  std::string payload;
  std::vector<std::string> receivers;
  std::optional<std::string> time;
  std::optional<std::string> metadata_file;
  bool envelope = false;
  bool strict = false;
  bool disabled = false;
  bool json = false;
  bool dry_run = false;
  bool jsonl = false;
  std::optional<std::int64_t> max_bytes; // --max-bytes; with --jsonl 1 MiB when not given
  PluginOptions plugins;
};

// Connects to signal the receivers of the loaded plugins that listen to its event type, then
// the --receiver exec: receivers; throws oex::Error for a --receiver that is not exec:COMMAND.
void connect_receivers(const SendOptions& options, const ReceiverOptions& receiver_options,
                       PluginSet& plugins, PublicSignal& signal);

// send --jsonl: one event per line of options.payload through signal, a report per event on
// stdout (text, or one JSON object a line), the counts on stderr. Returns the exit status.
ExitCode send_jsonl(const SendOptions& options, PublicSignal& signal);

} // namespace oex::cli
