#include "catalog/defs_problems.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <tuple>

#include "oex/util/json_value.hpp"
#include "oex/util/text.hpp"

namespace oex {

DefsError::DefsError(std::vector<Finding> findings)
  : Error([&] {
    std::string text;
    for (const Finding& finding : findings) {
      text += (text.empty() ? "" : "\n") + defs_finding_text(finding);
    }
    return text;
  }())
  , m_findings(std::move(findings))
{
}

std::string defs_finding_text(const Finding& finding)
{
  return finding.file + ":" + std::to_string(finding.line) + ":" + std::to_string(finding.column)
         + ": " + (finding.path.empty() ? "" : finding.path + ": ") + finding.message;
}

void DefsProblems::add(const DefsSource& source, std::string path, std::string message,
                       std::string rule, bool at_key)
{
  Finding finding;
  finding.rule = std::move(rule);
  finding.file = source.name;
  finding.path = std::move(path);
  finding.message = std::move(message);
  m_unplaced.push_back({m_findings.size(), &source, at_key});
  m_findings.push_back(std::move(finding));
}

void DefsProblems::add_placed(const DefsSource& source, std::size_t line, std::size_t column,
                              std::string message)
{
  Finding finding;
  finding.rule = "defs";
  finding.file = source.name;
  finding.line = line;
  finding.column = column;
  finding.message = std::move(message);
  m_findings.push_back(std::move(finding));
}

void DefsProblems::add_duplicate_keys(const DefsSource& source)
{
  const JsonParseResult parsed = parse_json_with_positions(source.text);
  if (!parsed.value) {
    return;
  }
  const LineIndex lines(source.text);
  for (const DuplicateKey& duplicate : duplicate_keys(*parsed.value)) {
    Finding finding;
    finding.rule = "defs";
    finding.file = source.name;
    finding.path = duplicate.path;
    finding.message = "duplicate key '" + duplicate.key + "'";
    const TextPosition at = lines.position_of(duplicate.offset);
    finding.line = at.line;
    finding.column = at.column;
    m_findings.push_back(std::move(finding));
  }
}

std::vector<Finding> DefsProblems::take()
{
  // Each document is read with positions once, and only when it has a problem to place.
  struct Placed
  {
    std::unique_ptr<JsonValue> root; // stays put while places refers to it
    std::optional<JsonPlaces> places;
    LineIndex lines;
  };
  std::map<const DefsSource*, Placed> documents;
  for (const Unplaced& u : m_unplaced) {
    auto it = documents.find(u.source);
    if (it == documents.end()) {
      it = documents.emplace(u.source, Placed{nullptr, std::nullopt, LineIndex(u.source->text)})
             .first;
      if (auto parsed = parse_json_with_positions(u.source->text).value) {
        it->second.root = std::make_unique<JsonValue>(std::move(*parsed));
        it->second.places.emplace(*it->second.root);
      }
    }
    Finding& finding = m_findings[u.finding];
    const std::size_t offset =
      it->second.places ? it->second.places->offset(finding.path, u.at_key) : 0;
    const TextPosition at = it->second.lines.position_of(offset);
    finding.line = at.line;
    finding.column = at.column;
  }
  m_unplaced.clear();
  std::stable_sort(m_findings.begin(), m_findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
  });
  return std::move(m_findings);
}

} // namespace oex
