#include "context.hpp"

#include <cstdlib>

#include <unistd.h>

namespace oex::cli {

std::vector<std::string> Context::user_defs_dirs() const
{
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("OEX_DEFS_PATH")) {
    dirs = split_path_list(env);
  }
  dirs.insert(dirs.end(), defs_dirs.begin(), defs_dirs.end());
  return dirs;
}

const Catalog& Context::catalog_for(std::string_view event_type)
{
  if (m_catalog || !user_defs_dirs().empty()) {
    return catalog();
  }
  if (!m_partial) {
    // The built-in files are written by json.dumps(indent=2): an event type is defined where
    // this text stands. catalog.json comes along for the library version.
    const std::string needle = "\"event_type\": \"" + std::string(event_type) + "\"";
    std::vector<DefsSource> sources;
    for (DefsSource& source : Catalog::builtin_sources()) {
      if (source.name.ends_with("/catalog.json") || source.text.find(needle) != std::string::npos) {
        sources.push_back(std::move(source));
      }
    }
    m_partial.emplace(Catalog::load(sources));
  }
  return m_partial->find(event_type) ? *m_partial : catalog();
}

const Catalog& Context::catalog()
{
  if (!m_catalog) {
    std::vector<DefsSource> sources = Catalog::builtin_sources();
    for (const std::string& dir : user_defs_dirs()) {
      std::vector<DefsSource> more = read_defs_dir(dir);
      sources.insert(sources.end(), std::make_move_iterator(more.begin()),
                     std::make_move_iterator(more.end()));
    }
    m_catalog.emplace(Catalog::load(sources));
  }
  return *m_catalog;
}

bool Context::color_stdout() const
{
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

std::vector<std::string> split_path_list(const std::string& list)
{
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(':', start);
    if (end == std::string::npos) {
      end = list.size();
    }
    if (end > start) {
      parts.push_back(list.substr(start, end - start));
    }
    start = end + 1;
  }
  return parts;
}

} // namespace oex::cli
