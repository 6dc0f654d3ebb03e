// oex lint: the event definitions checked against openedx-events' conventions and the bus.

#include <algorithm>
#include <memory>
#include <set>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "commands.hpp"
#include "context.hpp"
#include "findings.hpp"
#include "oex/lint/lint.hpp"
#include "oex/util/text.hpp"

namespace oex::cli {
namespace {

struct LintOptions
{
  bool builtin = false;
  std::vector<std::string> only;
  FindingsOptions output;
};

// "unknown rule 'x', did you mean 'y'?" for a --only value that names no rule.
std::string check_rule(const std::string& id)
{
  if (find_lint_rule(id)) {
    return {};
  }
  std::vector<std::string_view> ids;
  for (const LintRule& rule : lint_rules()) {
    ids.push_back(rule.id);
  }
  const auto suggestion = closest_match(id, ids);
  return "unknown rule '" + id + "'"
         + (suggestion ? ", did you mean '" + *suggestion + "'?" : std::string());
}

ExitCode run_lint(const LintOptions& options, Context& context)
{
  const std::vector<DefsSource>& user = context.user_sources();
  std::vector<DefsSource> sources = Catalog::builtin_sources();
  std::set<std::string, std::less<>> files;
  if (user.empty() || options.builtin) {
    for (const DefsSource& source : sources) {
      files.insert(source.name);
    }
  }
  for (const DefsSource& source : user) {
    files.insert(source.name);
    sources.push_back(source);
  }
  const CatalogLoad load = Catalog::load_collecting(sources);
  std::vector<Finding> findings = lint_catalog(load, sources, files);
  if (!options.only.empty()) {
    std::erase_if(findings, [&](const Finding& f) {
      return std::find(options.only.begin(), options.only.end(), f.rule) == options.only.end();
    });
  }
  const FindingFormat format = options.output.chosen_format();
  fmt::print("{}", render_findings(findings, format, "oex lint"));
  if (format == FindingFormat::text) {
    fmt::print(stderr, "oex: lint: {} in {} file{}\n", count_text(findings), files.size(),
               files.size() == 1 ? "" : "s");
  }
  return findings_exit_code(findings, options.output.strict);
}

} // namespace

void add_lint_command(CLI::App& sub, Context& context)
{
  auto options = std::make_shared<LintOptions>();
  sub.add_flag("--builtin", options->builtin,
               "Lint the built-in catalog too when --defs (or OEX_DEFS_PATH) names definitions");
  sub.add_option("--only", options->only, "Report only this rule (repeatable)")
    ->type_name("RULE")
    ->check(CLI::Validator(check_rule, ""));
  add_findings_options(sub, options->output);
  sub.callback([options, &context] { context.exit_code = run_lint(*options, context); });
}

} // namespace oex::cli
