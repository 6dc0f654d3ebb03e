#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "oex/util/finding.hpp"

namespace oex {

struct EventType;

// What a payload document holds: the event's data keys at the top level, or an envelope
// {"metadata": {...}, "data": {...}} whose metadata is checked too.
enum class PayloadForm { data, envelope };

struct DocumentCheck
{
  bool malformed = false;        // not JSON: findings holds the one syntax error
  std::vector<Finding> findings; // in document order
  // Valid, and known to hold no whitespace outside its strings (after any byte order mark): the
  // text is then exactly what minify_json() makes of it. False when not known.
  bool compact = false;
  bool valid() const { return !malformed && findings.empty(); }
};

// Checks payload documents against one event type: every finding, not only the first, each with
// its place. Valid documents take a fast path (one pass that parses and checks at once, then
// RapidJSON for what it leaves, no positions); anything else is read again exactly to place each
// finding. Reuse one validator for many documents.
class PayloadValidator
{
public:
  explicit PayloadValidator(const EventType& event, PayloadForm form = PayloadForm::data);
  ~PayloadValidator();
  PayloadValidator(const PayloadValidator&) = delete;
  PayloadValidator& operator=(const PayloadValidator&) = delete;

  // A leading UTF-8 byte order mark is skipped (offsets still count it). Reads nothing past
  // the end of document.
  DocumentCheck check(std::string_view document);
  // The same, by the positional reading alone (no fast path): what the fast paths must agree
  // with, for tests.
  DocumentCheck check_exact(std::string_view document);

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace oex
