#pragma once

#include <span>
#include <string_view>

namespace CLI {
class App;
}

namespace oex::cli {

class Context;

// One subcommand: its name, the line shown in `oex --help`, the longer text shown by
// `oex NAME --help`, the function that declares its options on the subcommand and sets the
// callback that runs it (ninja's tool table), and whether `oex --help` leaves it out.
struct Command
{
  std::string_view name;
  std::string_view summary;
  std::string_view help;
  void (*add)(CLI::App& sub, Context& context);
  bool hidden = false;
};

std::span<const Command> commands();

void add_list_command(CLI::App& sub, Context& context);
void add_show_command(CLI::App& sub, Context& context);
void add_metadata_command(CLI::App& sub, Context& context);
void add_schema_command(CLI::App& sub, Context& context);
void add_validate_command(CLI::App& sub, Context& context);
void add_sample_command(CLI::App& sub, Context& context);
void add_send_command(CLI::App& sub, Context& context);
void add_plugins_command(CLI::App& sub, Context& context);
void add_completion_command(CLI::App& sub, Context& context);
void add_encode_command(CLI::App& sub, Context& context);
void add_decode_command(CLI::App& sub, Context& context);
void add_compat_command(CLI::App& sub, Context& context);
void add_produce_command(CLI::App& sub, Context& context);
void add_consume_command(CLI::App& sub, Context& context);
void add_bus_command(CLI::App& sub, Context& context);

} // namespace oex::cli
