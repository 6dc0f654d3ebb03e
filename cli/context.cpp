#include "context.hpp"

#include <cstdlib>

#include <unistd.h>

namespace oex::cli {

const std::vector<DefsSource>& Context::user_sources()
{
  if (!m_user_sources) {
    std::vector<std::string> paths;
    if (const char* env = std::getenv("OEX_DEFS_PATH")) {
      paths = split_path_list(env);
    }
    paths.insert(paths.end(), defs_dirs.begin(), defs_dirs.end());
    m_user_sources = read_defs(paths);
  }
  return *m_user_sources;
}

const Catalog& Context::catalog_for(std::string_view wanted)
{
  if (m_catalog) {
    return *m_catalog;
  }
  if (!m_partial_tried) {
    m_partial_tried = true;
    m_partial = Catalog::load_for(wanted, user_sources());
  }
  return m_partial ? *m_partial : catalog();
}

const EventType& Context::event(std::string_view wanted)
{
  return catalog_for(wanted).lookup(wanted);
}

const Catalog& Context::catalog()
{
  if (!m_catalog) {
    std::vector<DefsSource> sources = Catalog::builtin_sources();
    sources.insert(sources.end(), user_sources().begin(), user_sources().end());
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
