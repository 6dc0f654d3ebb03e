#pragma once

#include <deque>

#include "oex/catalog/catalog.hpp"
#include "oex/util/error.hpp"

namespace oex {

// A problem with a data class found by the walks below: the class, the rule it breaks
// ("required-cycle", or "defs" for inheritance and limits) and the message (what() adds the
// class's file in front).
class ClassGraphError : public Error
{
public:
  ClassGraphError(const DataClass& cls, std::string rule, std::string message)
    : Error(cls.origin + ": " + message)
    , m_class(&cls)
    , m_rule(std::move(rule))
    , m_message(std::move(message))
  {
  }
  const DataClass& data_class() const { return *m_class; }
  const std::string& rule() const { return m_rule; }
  const std::string& message() const { return m_message; }

private:
  const DataClass* m_class;
  std::string m_rule;
  std::string m_message;
};

// Lays out every class's fields in attrs order (inherited first, a redefined field among the
// class's own), without recursion. Throws ClassGraphError for a class that inherits from itself or
// through more than k_max_bases_depth levels of bases.
void lay_out_all_fields(std::deque<DataClass>& classes);

// Throws ClassGraphError for a data class that requires itself (a cycle of required fields whose
// type is a data class), naming the cycle, and for one whose payloads could nest deeper than
// k_max_nesting levels. Runs in time linear in the classes and fields.
void check_class_graph(const std::deque<DataClass>& classes);

} // namespace oex
