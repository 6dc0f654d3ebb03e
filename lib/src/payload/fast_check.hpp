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
#include <cstring>
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

protected:
  // The reading itself, for a reader that does more as it goes (avro/one_pass_encoder): each
  // helper reads one JSON piece at m_at and says whether it was there and well-formed.
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
  // Inline: in a compact text (the usual case) there is no space to skip, and this is called
  // around every value.
  void skip_space()
  {
    if (m_at != m_end && static_cast<unsigned char>(*m_at) <= ' ') {
      skip_some_space();
    }
  }
  void skip_some_space();
  bool checked_string(const Type& type);

  // Nesting past this is left to the other readers (the positional one refuses past 1024).
  static constexpr int k_max_depth = 512;

  const EventType& m_event;
  const char* m_at = nullptr;
  const char* m_end = nullptr;
  int m_depth = 0;
  bool m_spaced = false; // some whitespace was skipped outside a string
  std::string m_scratch; // a string with escapes, decoded (reused)
};

// The templates, here for the readers derived from FastCheck.

// Whether the n bytes at a and b are the same: inline, eight at a time (a call to memcmp costs
// more than comparing the usual short member name).
inline bool same_bytes(const char* a, const char* b, std::size_t n)
{
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    std::uint64_t x = 0;
    std::uint64_t y = 0;
    std::memcpy(&x, a, 8);
    std::memcpy(&y, b, 8);
    if (x != y) {
      return false;
    }
  }
  for (; n > 0; ++a, ++b, --n) {
    if (*a != *b) {
      return false;
    }
  }
  return true;
}

// An array or object at m_at: open, then item() for each element or member (at m_at, after
// any space), separated by ',', up to close.
template <typename Item>
bool FastCheck::items(char open, char close, Item item)
{
  if (m_at == m_end || *m_at != open || ++m_depth > k_max_depth) {
    return false;
  }
  ++m_at;
  skip_space();
  if (m_at != m_end && *m_at == close) {
    ++m_at;
    --m_depth;
    return true;
  }
  while (true) {
    if (!item()) {
      return false;
    }
    skip_space();
    if (m_at == m_end) {
      return false;
    }
    const char c = *m_at++;
    if (c == close) {
      --m_depth;
      return true;
    }
    if (c != ',') {
      return false;
    }
    skip_space();
  }
}

// The members of an object whose keys name slots (a data class's fields, the event's data
// keys): name(i) is slot i's name, check(i) checks the value at m_at for slot i. Each key must
// name a slot, none twice; *seen gets a bit per slot given.
template <typename Name, typename Check>
bool FastCheck::members(std::size_t count, Name name, Check check, std::uint64_t* seen)
{
  *seen = 0;
  std::size_t expected = 0; // keys usually come in the slots' order: looked for from there on
  return count <= 64 && items('{', '}', [&] {
           std::string_view key;
           if (!string(&key)) {
             return false;
           }
           const auto named = [&](std::size_t i) {
             return name(i).size() == key.size() && same_bytes(name(i).data(), key.data(), key.size());
           };
           std::size_t index = count;
           for (std::size_t tried = 0; tried < count; ++tried) {
             const std::size_t i = expected + tried < count ? expected + tried : expected + tried - count;
             if (named(i)) {
               index = i;
               break;
             }
           }
           expected = index + 1 < count ? index + 1 : 0;
           const std::uint64_t bit = std::uint64_t{1} << (index & 63);
           if (index == count || (*seen & bit) != 0) {
             return false; // an unknown key, or one given twice
           }
           *seen |= bit;
           return colon() && check(index);
         });
}

} // namespace oex
