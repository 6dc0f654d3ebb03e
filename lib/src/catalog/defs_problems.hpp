#pragma once

#include <string>
#include <vector>

#include "oex/catalog/catalog.hpp"

namespace oex {

// The problems of one load, gathered as findings and placed (line:col) at the end, so that
// every problem of every document is reported, not only the first.
class DefsProblems
{
public:
  // A problem at path in the document (the value there; with at_key, the key of the last member).
  void add(const DefsSource& source, std::string path, std::string message,
           std::string rule = "defs", bool at_key = false);
  // A problem whose place is known already (a JSON syntax error).
  void add_placed(const DefsSource& source, std::size_t line, std::size_t column,
                  std::string message);
  // Repeated keys in the document, each a finding at the repeated key.
  void add_duplicate_keys(const DefsSource& source);

  bool empty() const { return m_findings.empty(); }
  // Every finding with its line and column, sorted by file and place.
  std::vector<Finding> take();

private:
  struct Unplaced
  {
    std::size_t finding;
    const DefsSource* source;
    bool at_key;
  };
  std::vector<Finding> m_findings;
  std::vector<Unplaced> m_unplaced;
};

} // namespace oex
