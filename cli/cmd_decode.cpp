// oex decode: Avro bytes from the event bus back to a payload.

#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "standard_streams.hpp"
#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "oex/avro/binary.hpp"
#include "oex/util/error.hpp"
#include "oex/util/hex.hpp"
#include "oex/util/python_json.hpp"

namespace oex::cli {
namespace {

struct DecodeOptions
{
  std::string event_type;
  std::string input = "-";
  bool hex = false;
  std::optional<std::string> writer_schema;
  bool json = false;
};

ExitCode run_decode(const DecodeOptions& options, Context& context)
{
  const EventType& event =
    context.catalog_for(options.event_type).get_signal_by_type(options.event_type);
  const avro::Schema reader = avro::event_schema(event);
  std::optional<avro::Schema> writer;
  if (options.writer_schema) {
    writer = avro::parse_schema(input_name(*options.writer_schema), read_input(*options.writer_schema));
  }
  const std::string name = input_name(options.input);
  std::string data = read_input(options.input);
  if (options.hex) {
    data = from_hex(name, data);
  }
  const avro::DecodeResult result = avro::decode(writer ? *writer : reader, reader, data);
  if (options.json) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    out["event_type"] = event.event_type;
    out["ok"] = result.ok;
    if (result.ok) {
      // the payload is already JSON: splice it in rather than parse it again
      std::string text = python_json_dumps(out);
      text.pop_back();
      write_stdout(text + ", \"payload\": " + result.json + "}\n");
      return ExitCode::ok;
    }
    out["error"] = {{"file", name},
                    {"byte", result.error.offset},
                    {"path", result.error.path},
                    {"message", result.error.message}};
    write_stdout(python_json_dumps(out) + "\n");
    return ExitCode::findings;
  }
  if (!result.ok) {
    fmt::print(stderr, "{}: byte {}: {}{}\n", name, result.error.offset,
               result.error.path.empty() ? "" : result.error.path + ": ", result.error.message);
    return ExitCode::findings;
  }
  write_stdout(result.json + "\n");
  return ExitCode::ok;
}

} // namespace

void add_decode_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<DecodeOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  sub.add_option("FILE", options->input, "Avro bytes; - (the default) reads standard input");
  sub.add_flag("--hex", options->hex, "The input is hex text (whitespace ignored)");
  sub
    .add_option("--writer-schema", options->writer_schema,
                "The bytes were written with this schema (.avsc): resolve them into TYPE's")
    ->type_name("FILE.avsc");
  sub.add_flag("--json", options->json,
               "Print {\"event_type\", \"ok\", \"payload\" or \"error\": {file, byte, path, message}}");
  sub.callback([options, &context] { context.exit_code = run_decode(*options, context); });
}

} // namespace oex::cli
