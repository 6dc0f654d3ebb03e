// oex encode: a payload as the Avro bytes openedx-events puts on the event bus.

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "standard_streams.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "oex/avro/binary.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/error.hpp"
#include "oex/util/hex.hpp"
#include "oex/util/file_write.hpp"
#include "report.hpp"

namespace oex::cli {
namespace {

struct EncodeOptions
{
  std::string event_type;
  std::string payload;
  bool hex = false;
  std::optional<std::string> out_file;
};

ExitCode run_encode(const EncodeOptions& options, Context& context)
{
  const EventType& event =
    context.catalog_for(options.event_type).get_signal_by_type(options.event_type);
  avro::PayloadEncoder encoder(event); // throws for events that cannot go on the bus
  if (!options.hex && !options.out_file && isatty(STDOUT_FILENO)) {
    throw Error("refusing to write binary Avro to a terminal: use --hex, -o FILE or a pipe");
  }
  const std::string text = read_input(options.payload);
  const std::string name = input_name(options.payload);
  PayloadValidator validator(event);
  const DocumentCheck check = validator.check(text);
  if (!payload_usable(name, text, check, event.event_type, "nothing was written")) {
    return ExitCode::findings;
  }
  std::string bytes;
  encoder.encode(text, bytes);
  if (options.hex) {
    bytes = to_hex(bytes) + "\n";
  }
  if (options.out_file) {
    write_file_atomically(*options.out_file, bytes);
  } else {
    write_stdout(bytes);
  }
  return ExitCode::ok;
}

} // namespace

void add_encode_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<EncodeOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  sub.add_option("PAYLOAD", options->payload, "Payload file; - reads standard input")->required();
  sub.add_flag("--hex", options->hex, "Print the bytes as lowercase hex and a newline");
  sub.add_option("-o,--output", options->out_file, "Write the bytes to FILE")->type_name("FILE");
  sub.callback([options, &context] { context.exit_code = run_encode(*options, context); });
}

} // namespace oex::cli
