#include "findings.hpp"

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "oex/util/text.hpp"

namespace oex::cli {
namespace {

using json = nlohmann::ordered_json;

std::string location(const Finding& finding)
{
  return fmt::format("{}:{}:{}", finding.file, finding.line, finding.column);
}

json finding_json(const Finding& finding)
{
  json out = {{"rule", finding.rule},
              {"severity", severity_name(finding.severity)},
              {"file", finding.file},
              {"line", finding.line},
              {"column", finding.column}};
  if (!finding.data_class.empty() && finding.event_type.empty()) {
    out["data_class"] = finding.data_class;
  } else {
    out["event_type"] = finding.event_type.empty() ? json(nullptr) : json(finding.event_type);
  }
  out["path"] = finding.path;
  out["message"] = finding.message;
  return out;
}

// GitHub's workflow commands end a message at a line break and read ',' and ':' in properties:
// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
std::string github_escape(std::string_view text, bool property)
{
  std::string out;
  for (char c : text) {
    switch (c) {
    case '%':
      out += "%25";
      break;
    case '\r':
      out += "%0D";
      break;
    case '\n':
      out += "%0A";
      break;
    case ':':
      out += property ? "%3A" : ":";
      break;
    case ',':
      out += property ? "%2C" : ",";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string github_line(const Finding& finding)
{
  const char* command = finding.severity == Severity::error     ? "error"
                        : finding.severity == Severity::warning ? "warning"
                                                                : "notice";
  std::string properties = "file=" + github_escape(escape_control(finding.file), true);
  if (finding.line > 0) {
    properties += fmt::format(",line={}", finding.line);
    if (finding.column > 0) {
      properties += fmt::format(",col={}", finding.column);
    }
  }
  if (!finding.rule.empty()) {
    properties += ",title=" + github_escape(finding.rule, true);
  }
  return fmt::format("::{} {}::{}\n", command, properties,
                     github_escape(escape_control(finding.message), false));
}

std::string junit(const std::vector<Finding>& findings, std::string_view tool)
{
  std::size_t failures = 0;
  std::string cases;
  for (const Finding& finding : findings) {
    cases += fmt::format(
      "    <testcase classname=\"{}\" name=\"{}\"",
      escape_markup(escape_control(finding.file.empty() ? std::string(tool) : finding.file)),
      escape_markup(escape_control(
        fmt::format("{}:{}:{} {}", finding.file, finding.line, finding.column, finding.rule))));
    if (finding.severity == Severity::error) {
      ++failures;
      cases += fmt::format(">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n"
                           "    </testcase>\n",
                           escape_markup(escape_control(finding.message)), escape_markup(finding.rule),
                           escape_markup(finding_text(finding)));
    } else {
      // Warnings and notes do not fail the run: a passing case that says what was seen.
      cases += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                           escape_markup(finding_text(finding)));
    }
  }
  std::size_t tests = findings.size();
  if (tests == 0) {
    cases = fmt::format("    <testcase classname=\"{0}\" name=\"{0}\"/>\n", escape_markup(tool));
    tests = 1;
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<testsuites tests=\"{0}\" failures=\"{1}\" errors=\"0\">\n"
                     "  <testsuite name=\"{2}\" tests=\"{0}\" failures=\"{1}\" errors=\"0\">\n"
                     "{3}  </testsuite>\n</testsuites>\n",
                     tests, failures, escape_markup(tool), cases);
}

} // namespace

std::optional<FindingFormat> parse_finding_format(std::string_view name)
{
  if (name == "text") {
    return FindingFormat::text;
  }
  if (name == "json") {
    return FindingFormat::json;
  }
  if (name == "github") {
    return FindingFormat::github;
  }
  if (name == "junit") {
    return FindingFormat::junit;
  }
  return std::nullopt;
}

std::string finding_text(const Finding& finding)
{
  if (finding.rule.empty()) {
    return fmt::format("{}: {}{}", location(finding),
                       finding.path.empty() ? "" : finding.path + ": ", finding.message);
  }
  // Messages quote what the input holds: control characters are escaped, so that nothing in a
  // definition or configuration file can drive the terminal.
  return escape_control(fmt::format("{}: {}: {} [{}]", location(finding),
                                    severity_name(finding.severity), finding.message,
                                    finding.rule));
}

std::string render_findings(const std::vector<Finding>& findings, FindingFormat format,
                            std::string_view tool)
{
  std::string out;
  switch (format) {
  case FindingFormat::text:
    for (const Finding& finding : findings) {
      out += finding_text(finding) + "\n";
    }
    return out;
  case FindingFormat::github:
    for (const Finding& finding : findings) {
      out += github_line(finding);
    }
    return out;
  case FindingFormat::json: {
    json array = json::array();
    for (const Finding& finding : findings) {
      array.push_back(finding_json(finding));
    }
    return array.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
  }
  case FindingFormat::junit:
    return junit(findings, tool);
  }
  return out;
}

FindingFormat FindingsOptions::chosen_format() const
{
  return json ? FindingFormat::json : parse_finding_format(format).value_or(FindingFormat::text);
}

void add_findings_options(CLI::App& sub, FindingsOptions& options)
{
  sub.add_flag("--strict", options.strict, "Warnings fail the run too (exit status 1)");
  auto* json = sub.add_flag("--json", options.json, "Same as --format json");
  sub
    .add_option("--format", options.format,
                "Output: text, json, github (workflow annotations) or junit (JUnit XML)")
    ->check(CLI::IsMember({"text", "json", "github", "junit"}))
    ->excludes(json)
    ->capture_default_str();
}

std::string count_text(const std::vector<Finding>& findings)
{
  std::size_t counts[3] = {0, 0, 0};
  for (const Finding& finding : findings) {
    ++counts[static_cast<int>(finding.severity)];
  }
  std::string text = fmt::format("{} error{}, {} warning{}", counts[0], counts[0] == 1 ? "" : "s",
                                 counts[1], counts[1] == 1 ? "" : "s");
  if (counts[2] > 0) {
    text += fmt::format(", {} note{}", counts[2], counts[2] == 1 ? "" : "s");
  }
  return text;
}

ExitCode findings_exit_code(const std::vector<Finding>& findings, bool strict)
{
  for (const Finding& finding : findings) {
    if (finding.severity == Severity::error || (strict && finding.severity == Severity::warning)) {
      return ExitCode::findings;
    }
  }
  return ExitCode::ok;
}

} // namespace oex::cli
