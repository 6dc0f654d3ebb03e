#pragma once

// The first and fastest reading of a payload: one pass over the text that parses and checks at
// once, against the event's types, with no tree, no findings and no heap allocation for the
// usual payload. It only ever says "valid" or "not sure": anything it does not accept (an
// invalid document, or one it leaves to the others: an envelope, a lone surrogate escape, a class
// of more than 64 fields, nesting past 512) goes on to the RapidJSON path and then the positional
// one, which decide and place the findings. So it must never accept what those refuse; the
// tests run all three over many broken payloads to hold it to that.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace oex {

struct DataClass;
struct EventType;
struct Type;

class FastCheck
{
public:
  explicit FastCheck(const EventType& event)
    : m_event(event)
  {
  }

  // True when document (UTF-8 JSON, no byte order mark) is certainly a valid payload (the data
  // form: the event's data keys at the top level).
  bool accepts(std::string_view document);
  // After accepts() returned true: the document held no whitespace outside its strings, so it
  // is already in the compact form minify_json() gives (which then need not run).
  bool compact() const { return !m_spaced; }

private:
  bool data();
  bool value(const Type& type, bool nullable);
  template <typename Name, typename Check>
  bool members(std::size_t count, Name name, Check check, std::uint64_t* seen);
  bool record(const DataClass& cls);
  bool list(const Type& element);
  bool dict(const Type& element);
  bool string(std::string_view* decoded);
  void skip_plain();
  bool escape(std::string* out);
  bool utf8_sequence();
  bool number(bool* integer);
  bool literal(std::string_view word);
  template <typename Item>
  bool items(char open, char close, Item item);
  bool colon();
  void skip_space();
  bool checked_string(const Type& type);

  const EventType& m_event;
  const char* m_at = nullptr;
  const char* m_end = nullptr;
  int m_depth = 0;
  bool m_spaced = false; // some whitespace was skipped outside a string
  std::string m_scratch; // a string with escapes, decoded (reused)
};

} // namespace oex
