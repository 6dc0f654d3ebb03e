// oex docs: the catalog as a static site, every file as a string (cli/ writes them).

#include "oex/docs/site.hpp"

#include "oex/avro/avro_schema.hpp"
#include "oex/payload/json_schema.hpp"
#include "oex/util/python_json.hpp"
#include "site_model.hpp"

namespace oex::docs {

void build_site(const Catalog& catalog, const SiteOptions& options, const SiteSink& sink)
{
  const SiteModel model = make_model(catalog, options);
  sink({"assets/style.css", std::string(k_style_css)});
  sink({"assets/search.js", std::string(k_search_js)});
  sink({"index.html", index_page(model)});
  sink({"classes.html", classes_page(model)});
  for (const EventType* event : catalog.all_events()) {
    sink({event_path(*event), event_page(model, *event)});
    // The same text `oex schema --out` writes.
    if (!avro_schema_problem(*event)) {
      sink({avro_path(*event), python_json_dumps(avro_schema(*event), 2)});
    }
    sink({json_schema_path(*event), python_json_dumps(json_schema(*event), 2)});
  }
  for (const DataClass& cls : catalog.data_classes()) {
    sink({class_path(cls), class_page(model, cls)});
  }
}

std::vector<SiteFile> build_site(const Catalog& catalog, const SiteOptions& options)
{
  std::vector<SiteFile> files;
  build_site(catalog, options, [&files](SiteFile file) { files.push_back(std::move(file)); });
  return files;
}

std::vector<SiteFile> build_eventcatalog(const Catalog& catalog, const SiteOptions& options)
{
  std::vector<SiteFile> files;
  build_eventcatalog(catalog, options,
                     [&files](SiteFile file) { files.push_back(std::move(file)); });
  return files;
}

} // namespace oex::docs
