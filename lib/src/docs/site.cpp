// oex docs: the catalog as a static site, every file as a string (cli/ writes them).

#include "oex/docs/site.hpp"

#include "oex/avro/avro_schema.hpp"
#include "oex/payload/json_schema.hpp"
#include "oex/util/python_json.hpp"
#include "site_model.hpp"

namespace oex::docs {

std::vector<SiteFile> build_site(const Catalog& catalog, const SiteOptions& options)
{
  const SiteModel model = make_model(catalog, options);
  std::vector<SiteFile> files;
  files.push_back({"assets/style.css", std::string(k_style_css)});
  files.push_back({"assets/search.js", std::string(k_search_js)});
  files.push_back({"index.html", index_page(model)});
  files.push_back({"classes.html", classes_page(model)});
  for (const EventType* event : catalog.all_events()) {
    files.push_back({event_path(*event), event_page(model, *event)});
    // The same text `oex schema --out` writes.
    if (!avro_schema_problem(*event)) {
      files.push_back({avro_path(*event), python_json_dumps(avro_schema(*event), 2)});
    }
    files.push_back({json_schema_path(*event), python_json_dumps(json_schema(*event), 2)});
  }
  for (const DataClass& cls : catalog.data_classes()) {
    files.push_back({class_path(cls), class_page(model, cls)});
  }
  return files;
}

} // namespace oex::docs
