// Places in a positional JSON document: what a finding's path names, and repeated keys.

#include <charconv>
#include <set>

#include "oex/util/json_value.hpp"

namespace oex {
namespace {

// The member of object whose key is the longest prefix of path ending at a '.', a '[' or the
// end; nullptr when none.
const JsonMember* member_at(const JsonValue& object, std::string_view path, std::size_t* length)
{
  const JsonMember* best = nullptr;
  for (const JsonMember& member : object.members) {
    const std::size_t n = member.key.size();
    if (path.substr(0, n) == member.key && (n == path.size() || path[n] == '.' || path[n] == '[')
        && (best == nullptr || n > best->key.size())) {
      best = &member;
    }
  }
  if (best) {
    *length = best->key.size();
  }
  return best;
}

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

std::size_t json_path_offset(const JsonValue& root, std::string_view path, bool at_key)
{
  const JsonValue* at = &root;
  std::size_t offset = root.offset;
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
      at->kind == JsonKind::object ? member_at(*at, path, &length) : nullptr;
    if (!member) {
      return offset;
    }
    path.remove_prefix(length);
    at = &member->value;
    offset = at_key && path.empty() ? member->key_offset : at->offset;
  }
  return offset;
}

std::vector<DuplicateKey> duplicate_keys(const JsonValue& root)
{
  std::vector<DuplicateKey> out;
  find_duplicates(root, "", out);
  return out;
}

} // namespace oex
