#include "oex/catalog/catalog.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

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

const DataClass* Catalog::find_class(std::string_view qualified_name) const
{
  auto it = m_by_class.find(qualified_name);
  return it == m_by_class.end() ? nullptr : it->second;
}

std::vector<DefsSource> read_defs_dir(const std::string& dir)
{
  namespace fs = std::filesystem;
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
    if (it->path().extension() == ".json") {
      paths.push_back(it->path());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<DefsSource> sources;
  for (const fs::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (!in || !(text << in.rdbuf())) {
      throw Error("cannot read '" + path.string() + "': " + std::strerror(errno));
    }
    sources.push_back({path.string(), std::move(text).str()});
  }
  return sources;
}

} // namespace oex
