// oex validate: every problem in a payload, with where it is.

#include <limits>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "input.hpp"
#include "number_options.hpp"
#include "oex/payload/validate.hpp"
#include "oex/util/error.hpp"
#include "progress.hpp"
#include "report.hpp"

namespace oex::cli {
namespace {

// The largest document read: a whole file, or one --jsonl line. Open edX event payloads are a
// few kilobytes, and the event bus carries at most about 1 MiB a message (Kafka's default
// message.max.bytes), so 1 MiB refuses nothing an event can hold. It also bounds memory: checking
// a document takes up to about 100 times its size (an invalid array of a million zeros), so
// about 100 MB at this default.
constexpr std::int64_t k_default_max_bytes = std::int64_t{1} << 20;

struct ValidateOptions
{
  std::string event_type;
  std::vector<std::string> inputs;
  bool jsonl = false;
  bool envelope = false;
  bool json = false;
  bool quiet = false;
  std::string format = "text";
  std::int64_t max_bytes = k_default_max_bytes;
  std::int64_t max_findings = 0; // 0: no limit
  bool fail_fast = false;
};

// One run over every input: checks documents, feeds the report, and stops early when
// --fail-fast or --max-findings says so.
class ValidateRun
{
public:
  ValidateRun(const ValidateOptions& options, const EventType& event, ReportFormat format)
    : m_options(options)
    , m_validator(event, options.envelope ? PayloadForm::envelope : PayloadForm::data)
    , m_report(format, event.event_type)
    , m_progress(options.jsonl && format != ReportFormat::quiet
                 && Progress::stderr_is_terminal())
    , m_max_bytes(static_cast<std::size_t>(options.max_bytes))
    , m_max_findings(static_cast<std::size_t>(options.max_findings))
  {
  }

  ExitCode run()
  {
    for (const std::string& path : m_options.inputs) {
      if (m_stop) {
        break;
      }
      check_input(path);
    }
    m_progress.clear();
    m_report.finish();
    if (m_stop && !m_options.quiet) {
      fmt::print(stderr, "oex: {}\n", *m_stop);
    }
    if (m_input_error) {
      return ExitCode::usage;
    }
    return m_report.invalid_documents() > 0 ? ExitCode::findings : ExitCode::ok;
  }

private:
  void check_input(const std::string& path)
  {
    const std::string name = input_name(path);
    try {
      if (m_options.jsonl) {
        std::size_t lines = 0;
        for_each_line(path, m_max_bytes, [&](const InputLine& line) {
          lines = line.number;
          m_progress.update(m_lines + lines, m_report.findings());
          if (line.too_long > 0) {
            DocumentCheck check;
            check.findings.push_back(
              {.message = fmt::format("line of {} bytes is longer than {} (--max-bytes); not checked",
                                      line.too_long, m_max_bytes)});
            add(name, line.number, "", std::move(check));
          } else if (line.text.find_first_not_of(" \t") != std::string_view::npos) {
            add(name, line.number, line.text, m_validator.check(line.text));
          } // blank lines separate nothing and are skipped
          return !m_stop;
        });
        m_lines += lines;
        return;
      }
      const std::string text = read_input(path, m_max_bytes);
      DocumentCheck check = m_validator.check(text);
      if (check.malformed) {
        input_error(name, finding_line(name, 0, text, check.findings.front()));
        return;
      }
      add(name, 0, text, std::move(check));
    } catch (const Error& e) {
      input_error(name, e.what());
    }
  }

  void add(const std::string& name, std::size_t line, std::string_view text, DocumentCheck check)
  {
    if (!check.valid()) {
      const std::size_t room = m_max_findings - m_report.findings();
      if (m_max_findings > 0 && check.findings.size() >= room) {
        check.findings.resize(room);
        m_stop = fmt::format("stopped after {} finding{} (--max-findings)",
                             m_max_findings, m_max_findings == 1 ? "" : "s");
      } else if (m_options.fail_fast) {
        m_stop = "stopped at the first invalid document (--fail-fast)";
      }
      m_progress.clear();
    }
    m_report.add(name, line, text, check);
  }

  void input_error(const std::string& name, const std::string& message)
  {
    m_progress.clear();
    fmt::print(stderr, "oex: error: {}\n", message);
    m_report.add_error(name, message);
    m_input_error = true;
    if (m_options.fail_fast) {
      m_stop = "stopped at the first input that could not be checked (--fail-fast)";
    }
  }

  const ValidateOptions& m_options;
  PayloadValidator m_validator;
  ValidationReport m_report;
  Progress m_progress;
  std::size_t m_max_bytes;
  std::size_t m_max_findings; // 0: no limit
  std::size_t m_lines = 0; // JSON Lines read in the inputs before this one
  bool m_input_error = false;
  std::optional<std::string> m_stop; // why the run stopped early
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
  return ValidateRun(options, event, format).run();
}

} // namespace

void add_validate_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<ValidateOptions>();
  sub.add_option("TYPE", options->event_type, "Event type")->required();
  sub.add_option("FILE", options->inputs, "Payload files; - reads standard input")->required();
  sub.add_flag("--jsonl", options->jsonl,
               "One payload per line (JSON Lines); a malformed line is a finding for that line; a "
               "progress line on stderr when it is a terminal");
  sub.add_flag("--envelope", options->envelope,
               "Documents are {\"metadata\": {...}, \"data\": {...}}; the metadata is checked too");
  auto* json = sub.add_flag("--json", options->json, "Same as --format json");
  sub.add_option("--format", options->format, "Output: text, json or junit (JUnit XML for CI)")
    ->check(CLI::IsMember({"text", "json", "junit"}))
    ->excludes(json)
    ->capture_default_str();
  sub.add_flag("--quiet,-q", options->quiet, "Print nothing; the exit status tells");
  number_range(sub.add_option("--max-bytes,--max-line-bytes", options->max_bytes,
                              "Largest document read, a whole file or one --jsonl line (default "
                              "1048576, 1 MiB); a longer line is a finding, a larger file an "
                              "input error")
                 ->type_name("BYTES"),
               integer_range(1, std::numeric_limits<std::int64_t>::max() / 4));
  number_range(sub.add_option("--max-findings", options->max_findings,
                              "Stop after N findings (and say so); exit status 1")
                 ->type_name("N"),
               integer_range(1, std::numeric_limits<std::int64_t>::max()));
  sub.add_flag("--fail-fast", options->fail_fast,
               "Stop at the first invalid document (or input that cannot be read)");
  sub.callback([options, &context] { context.exit_code = run_validate(*options, context); });
}

} // namespace oex::cli
