#include "oex/catalog/catalog.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "oex/catalog/embedded_defs.hpp"
#include "oex/util/error.hpp"
#include "oex/util/text.hpp"

namespace oex {

std::vector<DefsSource> Catalog::builtin_sources()
{
  std::vector<DefsSource> sources;
  for (const EmbeddedFile& file : embedded_defs()) {
    sources.push_back({"<builtin>/" + std::string(file.name), std::string(file.text)});
  }
  return sources;
}

Catalog Catalog::builtin()
{
  return load(builtin_sources());
}

const EventType* Catalog::find(std::string_view event_type) const
{
  auto it = m_by_type.find(event_type);
  return it == m_by_type.end() ? nullptr : it->second;
}

const EventType& Catalog::get_signal_by_type(std::string_view event_type) const
{
  if (const EventType* event = find(event_type)) {
    return *event;
  }
  std::vector<std::string_view> names;
  names.reserve(m_event_list.size());
  for (const EventType* event : m_event_list) {
    names.push_back(event->event_type);
  }
  throw UnknownEventType(std::string(event_type), closest_match(event_type, names));
}

const EventType& Catalog::lookup(std::string_view wanted) const
{
  if (const EventType* event = find(wanted)) {
    return *event;
  }
  std::vector<const EventType*> named;
  for (const EventType* event : m_event_list) {
    if (iequals(event->name, wanted)) {
      named.push_back(event);
    }
  }
  if (named.size() == 1) {
    return *named.front();
  }
  if (named.size() > 1) {
    std::string types;
    for (const EventType* event : named) {
      types += (types.empty() ? "" : ", ") + event->event_type;
    }
    throw Error("event name '" + std::string(wanted) + "' is ambiguous: it names " + types);
  }
  std::vector<std::string_view> names;
  names.reserve(2 * m_event_list.size());
  for (const EventType* event : m_event_list) {
    names.push_back(event->event_type);
  }
  const bool looks_like_type = wanted.find('.') != std::string_view::npos;
  if (!looks_like_type) {
    for (const EventType* event : m_event_list) {
      names.push_back(event->name);
    }
  }
  throw UnknownEventType(std::string(wanted), closest_match(wanted, names));
}

std::vector<std::string> Catalog::subdomains() const
{
  std::set<std::string> found;
  for (const EventType* event : m_event_list) {
    found.insert(event->subdomain);
  }
  return {found.begin(), found.end()};
}

const DataClass* Catalog::find_class(std::string_view qualified_name) const
{
  auto it = m_by_class.find(qualified_name);
  return it == m_by_class.end() ? nullptr : it->second;
}

namespace {

namespace fs = std::filesystem;

std::string read_defs_file(const fs::path& path)
{
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error("cannot read '" + path.string() + "': " + std::strerror(errno ? errno : ENOENT));
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    throw Error("cannot read '" + path.string() + "': " + std::strerror(errno ? errno : EIO));
  }
  return text;
}

// The *.json files of dir, sorted by name.
std::vector<fs::path> defs_dir_files(const std::string& dir)
{
  std::error_code ec;
  std::vector<fs::path> paths;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    throw Error("cannot read definitions directory '" + dir + "': " + ec.message());
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) {
      throw Error("cannot read definitions directory '" + dir + "': " + ec.message());
    }
    std::error_code type_ec;
    if (it->path().extension() == ".json" && !it->is_directory(type_ec)) {
      paths.push_back(it->path());
    }
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

} // namespace

std::vector<DefsSource> read_defs(const std::vector<std::string>& paths)
{
  std::vector<DefsSource> sources;
  std::set<fs::path> seen; // real paths: a file reached twice is loaded once
  for (const std::string& given : paths) {
    std::error_code ec;
    const bool plain_file = fs::exists(given, ec) && !fs::is_directory(given, ec);
    const std::vector<fs::path> files =
      plain_file ? std::vector<fs::path>{given} : defs_dir_files(given);
    for (const fs::path& file : files) {
      fs::path real = fs::weakly_canonical(file, ec);
      if (!seen.insert(ec ? fs::absolute(file) : real).second) {
        continue;
      }
      sources.push_back({file.string(), read_defs_file(file)});
    }
  }
  return sources;
}

} // namespace oex
