#pragma once

// Checking and encoding a payload in one reading of its text: FastCheck's pass over the JSON,
// writing the Avro binary of each value as it is read, in the catalog's field order (members
// read out of order, absent fields and map keys are put in place when their object closes).
// Like FastCheck it only says "valid, and here are the bytes" or "not sure": whatever it does not
// take (an invalid payload, an absent field whose default it cannot write, a number it cannot
// convert exactly as RapidJSON does, a map with a repeated key, ...) goes the long way, through
// PayloadValidator::check and PayloadEncoder::encode, which then decide and say why. So when it
// answers, the answer must be the long way's: the tests hold it to that byte for byte.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "payload/fast_check.hpp"

namespace oex {
struct DataClass;
struct EventType;
struct Field;
struct Type;
} // namespace oex

namespace oex::avro {

class Schema;

class OnePassEncoder : private FastCheck
{
public:
  // schema: event_schema(event), which the long way encodes with; the one pass is used only
  // when the catalog's classes map onto its records field for field.
  OnePassEncoder(const EventType& event, const Schema& schema);

  // Appends the encoding of document and returns true when document is a valid payload (a
  // leading byte order mark is skipped); returns false, out as it was, when it is not sure.
  bool encode(std::string_view document, std::string& out);

private:
  bool top();
  bool record(const DataClass& cls);
  bool value(const Type& type);
  bool list(const Type& element);
  bool dict(const Type& element);
  bool number_value(const Type& type);
  void put_long(std::int64_t value);
  void put_text(std::string_view text);
  using Span = std::pair<std::uint32_t, std::uint32_t>; // where a member's bytes are in m_out
  struct ClassPlan;
  // Puts the count members of the object at (*m_out)[start...] in the catalog's order, an
  // absent one as plan says (none: it may not be absent); false when one cannot be filled.
  bool put_in_order(std::size_t start, std::size_t count, const Span* spans, std::uint64_t seen,
                    bool in_order, const ClassPlan* plan);
  template <typename Name, typename Value>
  bool ordered_members(std::size_t count, Name name, Value value, const ClassPlan* plan);

  bool m_usable = false;
  std::string* m_out = nullptr;
  std::string m_tmp; // an object's bytes while they are put in order
  // A map's entries while it is open (nested maps push theirs after and pop them before):
  // where the key's bytes and the whole entry are in m_out.
  struct Entry
  {
    std::uint32_t key;
    std::uint32_t key_size;
    std::uint32_t begin;
    std::uint32_t end;
  };
  std::vector<Entry> m_entries;
  // Per class: its fields, and for each the bytes an absent one takes (empty: none known).
  struct ClassPlan
  {
    std::vector<const Field*> fields;
    std::vector<std::string> absent;
  };
  std::unordered_map<const DataClass*, ClassPlan> m_classes;
};

} // namespace oex::avro
