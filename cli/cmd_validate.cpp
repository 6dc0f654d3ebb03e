// oex validate: every problem in a payload, with where it is.

#include <memory>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "oex/util/error.hpp"
#include "oex/payload/validate.hpp"
#include "report.hpp"

namespace oex::cli {
namespace {

struct ValidateOptions
{
  std::string event_type;
  std::vector<std::string> inputs;
  bool jsonl = false;
  bool envelope = false;
  bool json = false;
  bool quiet = false;
  std::string format = "text";
};

ExitCode run_validate(ValidateOptions& options, Context& context)
{
  const EventType& event = context.event(options.event_type);
  if (options.json) {
    options.format = "json";
  }
  const ReportFormat format = options.quiet               ? ReportFormat::quiet
                              : options.format == "json"  ? ReportFormat::json
                              : options.format == "junit" ? ReportFormat::junit
                                                          : ReportFormat::text;
  PayloadValidator validator(event, options.envelope ? PayloadForm::envelope : PayloadForm::data);
  ValidationReport report(format, event.event_type);
  bool input_error = false;
  for (const std::string& path : options.inputs) {
    const std::string name = input_name(path);
    try {
      if (options.jsonl) {
        for_each_line(path, [&](std::string_view line, std::size_t number) {
          if (line.find_first_not_of(" \t") == std::string_view::npos) {
            return true; // blank lines separate nothing and are skipped
          }
          report.add(name, number, line, validator.check(line));
          return true;
        });
      } else {
        const std::string text = read_input(path);
        DocumentCheck check = validator.check(text);
        if (check.malformed) {
          fmt::print(stderr, "oex: error: {}\n",
                     finding_line(name, 0, text, check.findings.front()));
          input_error = true;
          continue;
        }
        report.add(name, 0, text, check);
      }
    } catch (const Error& e) {
      fmt::print(stderr, "oex: error: {}\n", e.what());
      input_error = true;
    }
  }
  report.finish();
  if (input_error) {
    return ExitCode::usage;
  }
  return report.invalid_documents() > 0 ? ExitCode::findings : ExitCode::ok;
}

} // namespace

void add_validate_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<ValidateOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  sub.add_option("FILE", options->inputs, "Payload files; - reads standard input")->required();
  sub.add_flag("--jsonl", options->jsonl,
               "One payload per line (JSON Lines); a malformed line is a finding for that line");
  sub.add_flag("--envelope", options->envelope,
               "Documents are {\"metadata\": {...}, \"data\": {...}}; the metadata is checked too");
  auto* json = sub.add_flag("--json", options->json, "Same as --format json");
  sub.add_option("--format", options->format, "Output: text, json or junit (JUnit XML for CI)")
    ->check(CLI::IsMember({"text", "json", "junit"}))
    ->excludes(json)
    ->capture_default_str();
  sub.add_flag("--quiet,-q", options->quiet, "Print nothing; the exit status tells");
  sub.callback([options, &context] { context.exit_code = run_validate(*options, context); });
}

} // namespace oex::cli
