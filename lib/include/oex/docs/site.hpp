#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oex/catalog/catalog.hpp"

namespace oex::docs {

// What `oex docs` is asked to make.
struct SiteOptions
{
  std::string title;                  // empty: "<library> <version> events" from the catalog
  std::vector<std::string> defs_args; // the --defs given, repeated in the commands on event pages
  // With --against: the folder's name as the user gave it (shown on the pages), and the stored
  // Avro schemas it holds, file name -> text.
  std::optional<std::string> against;
  std::map<std::string, std::string> stored_schemas;
};

// One file of the site: its path inside the output folder ('/'-separated, no "..") and content.
struct SiteFile
{
  std::string path;
  std::string content;
};

// Takes each file of a site as soon as it is made, so that a large catalog never holds more
// than one page in memory.
using SiteSink = std::function<void(SiteFile file)>;

// The static site for the catalog: index.html, classes.html, a page per event (events/) and per
// data class (classes/), each event's Avro schema and JSON Schema (schemas/), and the style
// sheet and search script (assets/), given to sink one by one. The same catalog and options give
// the same bytes, in the same order. Every text from the definitions is HTML-escaped. Throws
// oex::Error when a stored schema cannot be read ("DIR/FILE: fields[0].type: ..."), before the
// first file.
void build_site(const Catalog& catalog, const SiteOptions& options, const SiteSink& sink);
std::vector<SiteFile> build_site(const Catalog& catalog, const SiteOptions& options);

// The same content as an EventCatalog project folder, in its documented layout: one domain per
// subdomain (domains/SUBDOMAIN/index.mdx) holding its events
// (domains/SUBDOMAIN/events/TYPE/index.mdx, with schema.avsc and schema.json beside it). Front
// matter values are JSON strings (valid YAML); text from the definitions is escaped for MDX.
// --against verdicts become badges. Deterministic, and throws, like build_site.
void build_eventcatalog(const Catalog& catalog, const SiteOptions& options, const SiteSink& sink);
std::vector<SiteFile> build_eventcatalog(const Catalog& catalog, const SiteOptions& options);

// The stored schema files --against looks at: names ending in "_schema.avsc".
bool is_stored_schema_name(const std::string& file_name);

} // namespace oex::docs
