#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "oex/payload/validate.hpp"

namespace oex::cli {

enum class ReportFormat { text, json, junit, quiet };

// "FILE:LINE:COL: PATH: MESSAGE" for a finding in text (line_number: the JSON Lines line, 0 for
// a whole-file document), as oex validate prints it.
std::string finding_line(const std::string& file, std::size_t line_number, std::string_view text,
                         const Finding& finding);

// The check of one whole-file payload before it is used: throws oex::Error (the first finding)
// for a document that is not JSON; for an invalid one prints every finding and "oex: NAME is not
// a valid payload for TYPE: CONSEQUENCE" on stderr and returns false.
bool payload_usable(const std::string& name, std::string_view text, const DocumentCheck& check,
                    const std::string& event_type, std::string_view consequence);

// Renders validation results as they come: text lines "FILE:LINE:COL: PATH: MESSAGE", a JSON
// array with one object per document, or a JUnit XML report (one test case per document,
// written at the end). Inputs that could not be checked appear in every format as errors.
class ValidationReport
{
public:
  ValidationReport(ReportFormat format, std::string event_type);

  // line_number is the JSON Lines line (0 for a whole-file document); text is the document, to
  // turn offsets into line:col.
  void add(const std::string& file, std::size_t line_number, std::string_view text,
           const DocumentCheck& check);
  // An input that could not be checked (unreadable, malformed, too large): an error test case
  // in JUnit, an entry with "error" (and valid false) in JSON. The caller says why on stderr.
  void add_error(const std::string& file, const std::string& message);
  // Closes the output, and in text form says on stderr how many documents were invalid.
  void finish();

  std::size_t invalid_documents() const { return m_invalid; }
  std::size_t findings() const { return m_findings; }

private:
  ReportFormat m_format;
  std::string m_event_type;
  std::size_t m_documents = 0;
  std::size_t m_invalid = 0;
  std::size_t m_findings = 0;
  std::size_t m_errors = 0;
  std::string m_junit_cases;
};

} // namespace oex::cli
