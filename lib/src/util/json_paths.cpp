// Places in a positional JSON document: what a finding's path names, and repeated keys.

#include <charconv>
#include <set>
#include <unordered_map>

#include "oex/util/json_value.hpp"

namespace oex {
namespace {

void find_duplicates(const JsonValue& value, const std::string& path,
                     std::vector<DuplicateKey>& out)
{
  if (value.kind == JsonKind::array) {
    for (std::size_t i = 0; i < value.elements.size(); ++i) {
      find_duplicates(value.elements[i], path + "[" + std::to_string(i) + "]", out);
    }
    return;
  }
  if (value.kind != JsonKind::object) {
    return;
  }
  std::set<std::string_view> seen;
  for (const JsonMember& member : value.members) {
    if (!seen.insert(member.key).second) {
      out.push_back({path, member.key, member.key_offset});
    }
    find_duplicates(member.value, path.empty() ? member.key : path + "." + member.key, out);
  }
}

} // namespace

struct JsonPlaces::Index
{
  // Each object's members by key (the first of repeated keys), made when a path first enters it.
  std::unordered_map<const JsonValue*, std::unordered_map<std::string_view, const JsonMember*>>
    objects;

  // The member of object whose key is the longest prefix of path ending at a '.', a '[' or the
  // end; nullptr when none.
  const JsonMember* member_at(const JsonValue& object, std::string_view path, std::size_t* length)
  {
    auto [it, fresh] = objects.try_emplace(&object);
    if (fresh) {
      for (const JsonMember& member : object.members) {
        it->second.emplace(member.key, &member);
      }
    }
    for (std::size_t end = path.size();; --end) {
      if (end == path.size() || path[end] == '.' || path[end] == '[') {
        if (auto found = it->second.find(path.substr(0, end)); found != it->second.end()) {
          *length = end;
          return found->second;
        }
      }
      if (end == 0) {
        return nullptr;
      }
    }
  }
};

JsonPlaces::JsonPlaces(const JsonValue& root)
  : m_root(root)
  , m_index(std::make_unique<Index>())
{
}

JsonPlaces::~JsonPlaces() = default;
JsonPlaces::JsonPlaces(JsonPlaces&&) noexcept = default;

std::size_t JsonPlaces::offset(std::string_view path, bool at_key)
{
  const JsonValue* at = &m_root;
  std::size_t offset = m_root.offset;
  while (!path.empty()) {
    if (path.front() == '.') {
      path.remove_prefix(1);
      continue;
    }
    if (path.front() == '[') {
      std::size_t index = 0;
      const auto [end, ec] = std::from_chars(path.data() + 1, path.data() + path.size(), index);
      if (ec != std::errc() || end == path.data() + path.size() || *end != ']'
          || at->kind != JsonKind::array || index >= at->elements.size()) {
        return offset;
      }
      path.remove_prefix(static_cast<std::size_t>(end - path.data()) + 1);
      at = &at->elements[index];
      offset = at->offset;
      continue;
    }
    std::size_t length = 0;
    const JsonMember* member =
      at->kind == JsonKind::object ? m_index->member_at(*at, path, &length) : nullptr;
    if (!member) {
      return offset;
    }
    path.remove_prefix(length);
    at = &member->value;
    offset = at_key && path.empty() ? member->key_offset : at->offset;
  }
  return offset;
}

std::size_t json_path_offset(const JsonValue& root, std::string_view path, bool at_key)
{
  return JsonPlaces(root).offset(path, at_key);
}

std::vector<DuplicateKey> duplicate_keys(const JsonValue& root)
{
  std::vector<DuplicateKey> out;
  find_duplicates(root, "", out);
  return out;
}

} // namespace oex
