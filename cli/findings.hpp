#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exit_codes.hpp"
#include "oex/util/finding.hpp"

namespace CLI {
class App;
}

namespace oex::cli {

// How findings are printed: text lines, one JSON array, GitHub workflow commands (annotations
// on the pull request), or a JUnit XML report.
enum class FindingFormat { text, json, github, junit };

// The format a --format value names ("text", "json", "github", "junit"), or nullopt.
std::optional<FindingFormat> parse_finding_format(std::string_view name);

// One finding as a text line: "FILE:LINE:COL: SEVERITY: MESSAGE [RULE]" for a finding with a
// rule; "FILE:LINE:COL: PATH: MESSAGE" for a payload finding (no rule), as oex validate prints.
std::string finding_text(const Finding& finding);

// Every finding in the format, as one document (text: one line each). `tool` names the
// report in JUnit ("oex lint").
std::string render_findings(const std::vector<Finding>& findings, FindingFormat format,
                            std::string_view tool);

// The options every command that reports findings takes: --strict, --json, --format.
struct FindingsOptions
{
  bool strict = false; // warnings fail the run too
  bool json = false;
  std::string format = "text";

  FindingFormat chosen_format() const;
};

// Declares --strict, --json and --format text|json|github|junit on the command.
void add_findings_options(CLI::App& sub, FindingsOptions& options);

// "N errors, M warnings" (", K notes" when there are some).
std::string count_text(const std::vector<Finding>& findings);

// findings when any finding is an error (or, with strict, a warning), else ok.
ExitCode findings_exit_code(const std::vector<Finding>& findings, bool strict);

} // namespace oex::cli
