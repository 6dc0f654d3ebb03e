#include "oex/validate.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include <simdjson.h>

#include "oex/json_value.hpp"
#include "payload_walker.hpp"

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

// simdjson DOM element: the fast path. Positions are unknown.
class SimdNode
{
public:
  explicit SimdNode(simdjson::dom::element element)
    : m_element(element)
  {
  }

  NodeKind kind() const
  {
    switch (m_element.type()) {
    case simdjson::dom::element_type::ARRAY:
      return NodeKind::array;
    case simdjson::dom::element_type::OBJECT:
      return NodeKind::object;
    case simdjson::dom::element_type::INT64:
      return NodeKind::integer;
    case simdjson::dom::element_type::UINT64:
      return NodeKind::big_integer; // simdjson uses it only above INT64_MAX
    case simdjson::dom::element_type::DOUBLE:
      return NodeKind::number;
    case simdjson::dom::element_type::STRING:
      return NodeKind::string;
    case simdjson::dom::element_type::BOOL:
      return NodeKind::boolean;
    case simdjson::dom::element_type::NULL_VALUE:
      return NodeKind::null;
    }
    return NodeKind::null;
  }
  std::string_view string() const { return m_element.get_string().value_unsafe(); }
  bool boolean() const { return m_element.get_bool().value_unsafe(); }
  std::string number_text() const { return simdjson::to_string(m_element); }
  std::size_t offset() const { return Finding::npos; }

  template <typename F>
  void for_each_member(F&& f) const
  {
    const simdjson::dom::object object = m_element.get_object().value_unsafe();
    for (auto field : object) {
      if (!f(field.key, Finding::npos, SimdNode(field.value))) {
        return;
      }
    }
  }
  template <typename F>
  void for_each_element(F&& f) const
  {
    const simdjson::dom::array array = m_element.get_array().value_unsafe();
    for (auto element : array) {
      if (!f(SimdNode(element))) {
        return;
      }
    }
  }

private:
  simdjson::dom::element m_element;
};

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
  {
  }

  const EventType& event;
  PayloadForm form;
  simdjson::dom::parser parser;

  DocumentCheck check(std::string_view document, bool padded)
  {
    std::size_t base = 0;
    if (document.starts_with("\xef\xbb\xbf")) {
      base = 3;
      document.remove_prefix(3);
    }
    auto parsed = parser.parse(document.data(), document.size(), !padded);
    if (!parsed.error()) {
      FindingSink sink(true);
      walk(event, form, SimdNode(parsed.value_unsafe()), sink);
      if (sink.findings().empty()) {
        return {};
      }
    }
    DocumentCheck result;
    JsonParseResult exact = parse_json_with_positions(document);
    if (!exact.value) {
      result.malformed = true;
      result.findings.push_back({"", base + exact.error_offset, "invalid JSON: " + exact.error});
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
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (simdjson::minify(text.data(), text.size(), out.data(), length) != simdjson::SUCCESS) {
    return std::string(text);
  }
  out.resize(length);
  return out;
}

PayloadValidator::PayloadValidator(const EventType& event, PayloadForm form)
  : m_impl(std::make_unique<Impl>(event, form))
{
}

PayloadValidator::~PayloadValidator() = default;

DocumentCheck PayloadValidator::check(std::string_view document)
{
  return m_impl->check(document, false);
}

DocumentCheck PayloadValidator::check_padded(std::string_view document)
{
  return m_impl->check(document, true);
}

} // namespace oex
