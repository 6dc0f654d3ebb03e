#include "report.hpp"

#include <cstdio>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "oex/util/error.hpp"
#include "findings.hpp"
#include "standard_streams.hpp"
#include "oex/util/text.hpp"

namespace oex::cli {
namespace {

struct Place
{
  std::size_t line;
  std::size_t column;
};

Place place_of(std::size_t line_number, std::string_view text, std::size_t offset)
{
  if (offset == Finding::npos) {
    return {line_number, 0};
  }
  const TextPosition at = position_of(text, offset);
  return line_number == 0 ? Place{at.line, at.column} : Place{line_number, at.column};
}

} // namespace

std::string finding_line(const std::string& file, std::size_t line_number, std::string_view text,
                         const Finding& finding)
{
  const Place at = place_of(line_number, text, finding.offset);
  Finding placed = finding;
  placed.file = file;
  placed.line = at.line;
  placed.column = at.column;
  return finding_text(placed);
}

ValidationReport::ValidationReport(ReportFormat format, std::string event_type)
  : m_format(format)
  , m_event_type(std::move(event_type))
{
  if (m_format == ReportFormat::json) {
    fmt::print("[");
  }
}

void ValidationReport::add(const std::string& file, std::size_t line_number, std::string_view text,
                           const DocumentCheck& check)
{
  ++m_documents;
  if (!check.valid()) {
    ++m_invalid;
    m_findings += check.findings.size();
  }
  switch (m_format) {
  case ReportFormat::quiet:
    return;
  case ReportFormat::text: {
    std::string out;
    for (const Finding& finding : check.findings) {
      out += finding_line(file, line_number, text, finding) + "\n";
    }
    if (!out.empty()) {
      put_stdout(out); // a failure is remembered for flush_stdout
    }
    return;
  }
  case ReportFormat::json: {
    nlohmann::ordered_json document = {{"file", file},
                                       {"line", line_number == 0
                                                  ? nlohmann::ordered_json(nullptr)
                                                  : nlohmann::ordered_json(line_number)},
                                       {"valid", check.valid()},
                                       {"findings", nlohmann::ordered_json::array()}};
    for (const Finding& finding : check.findings) {
      const Place at = place_of(line_number, text, finding.offset);
      document["findings"].push_back({{"path", finding.path},
                                      {"line", at.line},
                                      {"column", at.column},
                                      {"message", finding.message}});
    }
    fmt::print("{}\n  {}", m_documents + m_errors == 1 ? "" : ",",
               document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    return;
  }
  case ReportFormat::junit: {
    const std::string name = line_number == 0 ? file : fmt::format("{}:{}", file, line_number);
    m_junit_cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\"",
                                 escape_markup(m_event_type), escape_markup(name));
    if (check.valid()) {
      m_junit_cases += "/>\n";
      return;
    }
    std::string body;
    for (const Finding& finding : check.findings) {
      body += finding_line(file, line_number, text, finding) + "\n";
    }
    m_junit_cases +=
      fmt::format(">\n      <failure message=\"{} finding{}\">{}</failure>\n    </testcase>\n",
                  check.findings.size(), check.findings.size() == 1 ? "" : "s", escape_markup(body));
    return;
  }
  }
}

void ValidationReport::add_error(const std::string& file, const std::string& message)
{
  ++m_errors;
  switch (m_format) {
  case ReportFormat::quiet:
  case ReportFormat::text:
    return;
  case ReportFormat::json: {
    const nlohmann::ordered_json document = {{"file", file},
                                             {"line", nullptr},
                                             {"valid", false},
                                             {"error", message},
                                             {"findings", nlohmann::ordered_json::array()}};
    fmt::print("{}\n  {}", m_documents + m_errors == 1 ? "" : ",",
               document.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    return;
  }
  case ReportFormat::junit:
    m_junit_cases += fmt::format(
      "    <testcase classname=\"{}\" name=\"{}\">\n      <error message=\"{}\"/>\n    "
      "</testcase>\n",
      escape_markup(m_event_type), escape_markup(file), escape_markup(message));
    return;
  }
}

void ValidationReport::finish()
{
  switch (m_format) {
  case ReportFormat::quiet:
    return;
  case ReportFormat::json:
    fmt::print("{}]\n", m_documents + m_errors == 0 ? "" : "\n");
    return;
  case ReportFormat::junit:
    fmt::print(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<testsuites tests=\"{0}\" failures=\"{1}\" errors=\"{4}\">\n"
      "  <testsuite name=\"oex validate {2}\" tests=\"{0}\" failures=\"{1}\" errors=\"{4}\">\n"
      "{3}  </testsuite>\n</testsuites>\n",
      m_documents + m_errors, m_invalid, escape_markup(m_event_type), m_junit_cases, m_errors);
    return;
  case ReportFormat::text: {
    if (m_documents == 0) {
      return; // nothing was read: the input errors said why
    }
    std::string summary =
      m_invalid == 0
        ? fmt::format("oex: {} document{} valid", m_documents, m_documents == 1 ? "" : "s")
        : fmt::format("oex: {} of {} document{} invalid, {} finding{}", m_invalid, m_documents,
                      m_documents == 1 ? "" : "s", m_findings, m_findings == 1 ? "" : "s");
    if (m_errors > 0) {
      summary += fmt::format(", {} input{} not checked", m_errors, m_errors == 1 ? "" : "s");
    }
    fmt::print(stderr, "{}\n", summary);
    return;
  }
  }
}

bool payload_usable(const std::string& name, std::string_view text, const DocumentCheck& check,
                    const std::string& event_type, std::string_view consequence)
{
  if (check.malformed) {
    throw Error(finding_line(name, 0, text, check.findings.front()));
  }
  if (check.valid()) {
    return true;
  }
  for (const Finding& finding : check.findings) {
    fmt::print(stderr, "{}\n", finding_line(name, 0, text, finding));
  }
  fmt::print(stderr, "oex: {} is not a valid payload for {}: {}\n", name, event_type, consequence);
  return false;
}

} // namespace oex::cli
