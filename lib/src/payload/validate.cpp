#include "oex/payload/validate.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <cstdint>

#include <rapidjson/document.h>

#include "oex/util/json_value.hpp"
#include "payload/fast_check.hpp"
#include "payload/payload_walker.hpp"

namespace oex {

std::string PathStack::render() const
{
  std::string out;
  for (const Segment& segment : m_segments) {
    if (segment.is_index) {
      out += "[" + std::to_string(segment.index) + "]";
      continue;
    }
    const bool plain =
      !segment.key.empty() && std::all_of(segment.key.begin(), segment.key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
      });
    if (plain) {
      out += (out.empty() ? "" : ".") + std::string(segment.key);
    } else {
      out += "[" + quote_for_message(segment.key) + "]";
    }
  }
  return out;
}

std::string quote_for_message(std::string_view text)
{
  constexpr std::size_t k_max = 60;
  std::string out = "\"";
  std::size_t shown = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (shown >= k_max && (c & 0xc0) != 0x80) {
      out += "...";
      break;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      static const char* k_hex = "0123456789abcdef";
      out += c == '\n'   ? std::string("\\n")
             : c == '\t' ? std::string("\\t")
                         : std::string("\\u00") + k_hex[c >> 4] + k_hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
    if ((c & 0xc0) != 0x80) {
      ++shown;
    }
  }
  return out + "\"";
}

std::string_view expected_name(const Type& type)
{
  switch (type.kind) {
  case TypeKind::str:
  case TypeKind::bytes:
  case TypeKind::binary_io:
    return "string";
  case TypeKind::int_:
    return "integer";
  case TypeKind::bool_:
    return "boolean";
  case TypeKind::float_:
    return "number";
  case TypeKind::datetime:
    return "datetime string";
  case TypeKind::uuid:
    return "UUID string";
  case TypeKind::opaque_key:
    return type.key == KeyKind::course_key  ? "CourseKey string"
           : type.key == KeyKind::usage_key ? "UsageKey string"
                                            : "key string";
  case TypeKind::list:
    return "array";
  case TypeKind::dict:
    return "object";
  case TypeKind::record:
    return "object";
  }
  return "value";
}

namespace {

using RapidValue = rapidjson::GenericValue<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>>;

// RapidJSON DOM value: the fast path. Positions are unknown.
class RapidNode
{
public:
  explicit RapidNode(const RapidValue& value)
    : m_value(&value)
  {
  }

  NodeKind kind() const
  {
    switch (m_value->GetType()) {
    case rapidjson::kNullType:
      return NodeKind::null;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return NodeKind::boolean;
    case rapidjson::kObjectType:
      return NodeKind::object;
    case rapidjson::kArrayType:
      return NodeKind::array;
    case rapidjson::kStringType:
      return NodeKind::string;
    case rapidjson::kNumberType:
      break;
    }
    if (m_value->IsInt64()) {
      return NodeKind::integer;
    }
    // Above INT64_MAX, or a double (RapidJSON reads integers past 64 bits as doubles too): the
    // exact path tells them apart when it matters.
    return m_value->IsUint64() ? NodeKind::big_integer : NodeKind::number;
  }
  std::string_view string() const { return {m_value->GetString(), m_value->GetStringLength()}; }
  bool boolean() const { return m_value->GetBool(); }
  std::string number_text() const
  {
    return m_value->IsUint64() ? std::to_string(m_value->GetUint64())
                               : std::to_string(m_value->GetDouble());
  }
  std::size_t offset() const { return Finding::npos; }

  template <typename F>
  void for_each_member(F&& f) const
  {
    for (auto it = m_value->MemberBegin(); it != m_value->MemberEnd(); ++it) {
      if (!f(std::string_view(it->name.GetString(), it->name.GetStringLength()), Finding::npos,
             RapidNode(it->value))) {
        return;
      }
    }
  }
  template <typename F>
  void for_each_element(F&& f) const
  {
    for (auto it = m_value->Begin(); it != m_value->End(); ++it) {
      if (!f(RapidNode(*it))) {
        return;
      }
    }
  }

private:
  const RapidValue* m_value;
};

// RapidJSON takes a lone low surrogate escape ("\udc00"); our exact reader refuses it. Such
// documents skip the fast path, so that both readers always agree.
bool may_hold_lone_surrogate(std::string_view text)
{
  for (std::size_t at = text.find('\\'); at != std::string_view::npos;
       at = text.find('\\', at + 2)) {
    if (at + 3 < text.size() && text[at + 1] == 'u'
        && (text[at + 2] == 'd' || text[at + 2] == 'D')) {
      return true;
    }
  }
  return false;
}

// Our own positional tree: the exact path.
class PosNode
{
public:
  explicit PosNode(const JsonValue& value)
    : m_value(&value)
  {
  }

  NodeKind kind() const
  {
    switch (m_value->kind) {
    case JsonKind::null:
      return NodeKind::null;
    case JsonKind::boolean:
      return NodeKind::boolean;
    case JsonKind::string:
      return NodeKind::string;
    case JsonKind::array:
      return NodeKind::array;
    case JsonKind::object:
      return NodeKind::object;
    case JsonKind::number:
      break;
    }
    const std::string& text = m_value->text;
    if (text.find_first_of(".eE") != std::string::npos) {
      return NodeKind::number;
    }
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    return ec == std::errc() && end == text.data() + text.size() ? NodeKind::integer
                                                                 : NodeKind::big_integer;
  }
  std::string_view string() const { return m_value->text; }
  bool boolean() const { return m_value->boolean; }
  std::string_view number_text() const { return m_value->text; }
  std::size_t offset() const { return m_value->offset; }

  template <typename F>
  void for_each_member(F&& f) const
  {
    for (const JsonMember& member : m_value->members) {
      if (!f(std::string_view(member.key), member.key_offset, PosNode(member.value))) {
        return;
      }
    }
  }
  template <typename F>
  void for_each_element(F&& f) const
  {
    for (const JsonValue& element : m_value->elements) {
      if (!f(PosNode(element))) {
        return;
      }
    }
  }

private:
  const JsonValue* m_value;
};

template <typename Node>
void walk(const EventType& event, PayloadForm form, const Node& root, FindingSink& sink)
{
  PayloadWalker<Node> walker(event, sink);
  if (form == PayloadForm::envelope) {
    walker.envelope(root);
  } else {
    walker.data(root);
  }
}

} // namespace

struct PayloadValidator::Impl
{
  Impl(const EventType& e, PayloadForm f)
    : event(e)
    , form(f)
    , fast(e)
  {
  }

  const EventType& event;
  PayloadForm form;
  FastCheck fast; // the data form's first reading: valid, or not sure
  // Reused for every document: cleared, not freed, between them.
  rapidjson::MemoryPoolAllocator<> value_allocator{64 * 1024};
  rapidjson::MemoryPoolAllocator<> parse_allocator{16 * 1024};

  bool fast_path_valid(std::string_view document)
  {
    if (may_hold_lone_surrogate(document)) {
      return false;
    }
    value_allocator.Clear();
    parse_allocator.Clear();
    rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                               rapidjson::MemoryPoolAllocator<>>
      parsed(&value_allocator, 1024, &parse_allocator);
    // Iterative: no recursion, whatever the nesting. Strict JSON, UTF-8 checked.
    parsed.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(
      document.data(), document.size());
    if (parsed.HasParseError()) {
      return false;
    }
    FindingSink sink(true);
    walk(event, form, RapidNode(parsed), sink);
    return sink.findings().empty();
  }

  DocumentCheck check(std::string_view document)
  {
    std::size_t base = 0;
    if (document.starts_with("\xef\xbb\xbf")) {
      base = 3;
      document.remove_prefix(3);
    }
    if (form == PayloadForm::data && fast.accepts(document)) {
      DocumentCheck valid;
      valid.compact = fast.compact();
      return valid;
    }
    if (fast_path_valid(document)) {
      return {};
    }
    return exact_check(document, base);
  }

  DocumentCheck exact_check(std::string_view document, std::size_t base)
  {
    DocumentCheck result;
    JsonParseResult exact = parse_json_with_positions(document);
    if (!exact.value) {
      result.malformed = true;
      result.findings.push_back(
        {.offset = base + exact.error_offset, .message = "invalid JSON: " + exact.error});
      return result;
    }
    FindingSink sink(false);
    walk(event, form, PosNode(*exact.value), sink);
    result.findings = std::move(sink.findings());
    for (Finding& finding : result.findings) {
      finding.offset += base;
    }
    std::stable_sort(result.findings.begin(), result.findings.end(),
                     [](const Finding& a, const Finding& b) { return a.offset < b.offset; });
    return result;
  }
};

std::string minify_json(std::string_view text)
{
  // Runs once per event sent: written through a raw pointer into a buffer of the input's size
  // (the output is never longer), which is several times faster than appending byte by byte.
  std::string out(text.size(), '\0');
  char* to = out.data();
  const char* from = text.data();
  const char* const end = from + text.size();
  while (from < end) {
    const char c = *from++;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      continue;
    }
    *to++ = c;
    if (c != '"') {
      continue;
    }
    while (from < end) { // inside a string: copied as it is, in runs, up to its closing quote
      const auto* quote = static_cast<const char*>(std::memchr(from, '"', static_cast<std::size_t>(end - from)));
      const char* stop = quote ? quote : end;
      const auto* escape = static_cast<const char*>(std::memchr(from, '\\', static_cast<std::size_t>(stop - from)));
      if (!escape) {
        const char* next = quote ? quote + 1 : end;
        std::memcpy(to, from, static_cast<std::size_t>(next - from));
        to += next - from;
        from = next;
        break;
      }
      // Up to the backslash and the character it escapes (perhaps a quote), then on.
      const char* next = std::min(escape + 2, end);
      std::memcpy(to, from, static_cast<std::size_t>(next - from));
      to += next - from;
      from = next;
    }
  }
  out.resize(static_cast<std::size_t>(to - out.data()));
  return out;
}

PayloadValidator::PayloadValidator(const EventType& event, PayloadForm form)
  : m_impl(std::make_unique<Impl>(event, form))
{
}

PayloadValidator::~PayloadValidator() = default;

DocumentCheck PayloadValidator::check(std::string_view document)
{
  return m_impl->check(document);
}

DocumentCheck PayloadValidator::check_exact(std::string_view document)
{
  const std::size_t base = document.starts_with("\xef\xbb\xbf") ? 3 : 0;
  return m_impl->exact_check(document.substr(base), base);
}

} // namespace oex
