#pragma once

#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "oex/catalog/catalog.hpp"
#include "oex/util/finding.hpp"

namespace oex {

// A lint rule: its id (what --only takes and findings carry), its severity and what it checks.
struct LintRule
{
  std::string_view id;
  Severity severity;
  std::string_view summary;
};

// Every rule, the definition loader's own ("defs", "unknown-class", "required-cycle",
// "minor-version") included, in the order the README lists them.
std::span<const LintRule> lint_rules();

// The rule with that id, or nullptr.
const LintRule* find_lint_rule(std::string_view id);

// Lints the event types and data classes that the documents named in `files` define, in a
// catalog loaded with Catalog::load_collecting from `sources` (whose load findings are
// included, for those files): every finding with file, line and column, sorted by file and
// place.
std::vector<Finding> lint_catalog(const CatalogLoad& load, const std::vector<DefsSource>& sources,
                                  const std::set<std::string, std::less<>>& files);

} // namespace oex
