// oex check-config: an event bus producer configuration checked before Django reads it.

#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "findings.hpp"
#include "input.hpp"
#include "oex/bus/producer_config.hpp"

namespace oex::cli {
namespace {

struct CheckConfigOptions
{
  std::string file;
  FindingsOptions output;
};

ExitCode run_check_config(const CheckConfigOptions& options, Context& context)
{
  const Catalog& catalog = context.catalog();
  const std::string text = read_input(options.file);
  const std::string name = input_name(options.file);
  const ProducerConfigCheck check = check_producer_config(name, text, catalog);
  const FindingFormat format = options.output.chosen_format();
  fmt::print("{}", render_findings(check.findings, format, "oex check-config"));
  if (format == FindingFormat::text) {
    std::size_t routes = 0;
    for (const auto& [type, list] : check.config.routes) {
      routes += list.size();
    }
    fmt::print(stderr, "oex: check-config: {}; {} of {} topic configuration{} usable\n",
               count_text(check.findings), routes, check.topic_configs,
               check.topic_configs == 1 ? "" : "s");
  }
  return findings_exit_code(check.findings, options.output.strict);
}

} // namespace

void add_check_config_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<CheckConfigOptions>();
  sub
    .add_option("FILE", options->file, "EVENT_BUS_PRODUCER_CONFIG as JSON; - reads standard input")
    ->required();
  add_findings_options(sub, options->output);
  sub.callback([options, &context] { context.exit_code = run_check_config(*options, context); });
}

} // namespace oex::cli
