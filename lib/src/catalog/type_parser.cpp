#include "catalog/type_parser.hpp"

#include <array>
#include <cctype>
#include <memory>
#include <utility>

#include "oex/catalog/catalog.hpp"

namespace oex {
namespace {

struct NamedType
{
  std::string_view name;
  TypeKind kind;
  KeyKind key;
};

constexpr std::array k_named_types{
  NamedType{"str", TypeKind::str, KeyKind::course_key},
  NamedType{"int", TypeKind::int_, KeyKind::course_key},
  NamedType{"bool", TypeKind::bool_, KeyKind::course_key},
  NamedType{"float", TypeKind::float_, KeyKind::course_key},
  NamedType{"bytes", TypeKind::bytes, KeyKind::course_key},
  NamedType{"datetime", TypeKind::datetime, KeyKind::course_key},
  NamedType{"UUID", TypeKind::uuid, KeyKind::course_key},
  NamedType{"BinaryIO", TypeKind::binary_io, KeyKind::course_key},
  NamedType{"CourseKey", TypeKind::opaque_key, KeyKind::course_key},
  NamedType{"UsageKey", TypeKind::opaque_key, KeyKind::usage_key},
  NamedType{"CCXLocator", TypeKind::opaque_key, KeyKind::ccx_locator},
  NamedType{"LibraryLocatorV2", TypeKind::opaque_key, KeyKind::library_locator_v2},
  NamedType{"LibraryUsageLocatorV2", TypeKind::opaque_key, KeyKind::library_usage_locator_v2},
  NamedType{"LibraryCollectionLocator", TypeKind::opaque_key, KeyKind::library_collection_locator},
  NamedType{"LibraryContainerLocator", TypeKind::opaque_key, KeyKind::library_container_locator},
};

class Parser
{
public:
  Parser(std::string_view text, const ClassResolver& resolve)
    : m_text(text)
    , m_resolve(resolve)
  {
  }

  Result<Type> parse_all()
  {
    auto type = parse();
    if (type) {
      skip_space();
      if (m_pos != m_text.size()) {
        return fail("unexpected '" + std::string(m_text.substr(m_pos)) + "'");
      }
    }
    return type;
  }

private:
  Result<Type> fail(std::string message)
  {
    return Result<Type>::failure("invalid type '" + std::string(m_text) + "': " + message);
  }

  void skip_space()
  {
    while (m_pos < m_text.size() && m_text[m_pos] == ' ') {
      ++m_pos;
    }
  }

  bool eat(char c)
  {
    skip_space();
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
      ++m_pos;
      return true;
    }
    return false;
  }

  std::string_view name()
  {
    skip_space();
    const std::size_t start = m_pos;
    while (m_pos < m_text.size()
           && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_'
               || m_text[m_pos] == '.')) {
      ++m_pos;
    }
    return m_text.substr(start, m_pos - start);
  }

  Result<Type> parse()
  {
    const std::string_view word = name();
    if (word.empty()) {
      return fail(m_pos < m_text.size() ? "unexpected '" + std::string(1, m_text[m_pos]) + "'"
                                        : "a type name is missing");
    }
    if (word == "List" || word == "list") {
      return parse_container(TypeKind::list);
    }
    if (word == "dict" || word == "Dict") {
      return parse_container(TypeKind::dict);
    }
    for (const NamedType& named : k_named_types) {
      if (named.name == word) {
        Type type;
        type.kind = named.kind;
        type.key = named.key;
        return type;
      }
    }
    if (const DataClass* cls = m_resolve(word)) {
      Type type;
      type.kind = TypeKind::record;
      type.record = cls;
      return type;
    }
    return Result<Type>::failure("unknown type '" + std::string(word) + "'");
  }

  Result<Type> parse_container(TypeKind kind)
  {
    if (++m_depth > k_max_type_nesting) {
      return fail("List and dict nested more than " + std::to_string(k_max_type_nesting)
                  + " levels deep");
    }
    if (!eat('[')) {
      return fail(kind == TypeKind::list ? "List needs an item type, e.g. List[str]"
                                         : "dict needs key and value types, e.g. dict[str, int]");
    }
    if (kind == TypeKind::dict) {
      if (name() != "str" || !eat(',')) {
        return fail("dict keys must be str, e.g. dict[str, int]");
      }
    }
    auto element = parse();
    if (!element) {
      return element;
    }
    if (!eat(']')) {
      return fail("missing ']'");
    }
    --m_depth;
    Type type;
    type.kind = kind;
    type.element = std::make_shared<const Type>(std::move(element).value());
    return type;
  }

  std::string_view m_text;
  const ClassResolver& m_resolve;
  std::size_t m_pos = 0;
  std::size_t m_depth = 0;
};

} // namespace

Result<Type> parse_type(std::string_view expression, const ClassResolver& resolve)
{
  return Parser(expression, resolve).parse_all();
}

} // namespace oex
