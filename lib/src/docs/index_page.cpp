// index.html (every event by subdomain, with the search box) and classes.html.

#include <algorithm>
#include <map>
#include <set>

#include "oex/avro/avro_schema.hpp"
#include "oex/catalog/field_tree.hpp"
#include "oex/util/text.hpp"
#include "site_model.hpp"

namespace oex::docs {
namespace {

// What the search box matches: the event type, the variable name, the data keys, the data
// classes (qualified and short) and every field name of the data, lowercase, space-separated.
std::string search_text(const EventType& event)
{
  std::set<std::string> words{event.event_type, event.name};
  for (const FieldTreeEntry& entry : field_tree(event)) {
    words.insert(entry.name);
    if (entry.data_class) {
      words.insert(entry.data_class->qualified_name());
    }
  }
  std::string out;
  for (const std::string& word : words) {
    out += (out.empty() ? "" : " ") + ascii_lower(word);
  }
  return out;
}

std::string plural(std::size_t n, std::string_view one, std::string_view many)
{
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

std::string event_item(const SiteModel& model, const EventType& event)
{
  std::string out = "<li data-search=\"" + escape(search_text(event)) + "\">";
  out += "<a href=\"" + escape(event_path(event)) + "\"><code class=\"type\">"
         + escape(event.event_type) + "</code></a>";
  out += " <span class=\"name\">" + escape(event.name) + "</span>";
  std::string badges;
  if (const auto problem = avro_schema_problem(event)) {
    badges += "<span class=\"badge off\" title=\"" + escape(*problem)
              + "\">no Avro schema: not on the event bus</span>";
  }
  if (event.warning) {
    badges +=
      "<span class=\"badge warn\" title=\"" + escape(*event.warning) + "\">upstream warning</span>";
  }
  if (const auto found = model.compat.find(&event); found != model.compat.end()) {
    const auto status = found->second.status;
    if (status != CompatResult::Status::unchanged && status != CompatResult::Status::no_avro) {
      badges += "<span class=\"badge compat-"
                + std::string(status == CompatResult::Status::incompatible ? "bad" : "new") + "\">"
                + escape(status_word(status)) + "</span>";
    }
  }
  if (!badges.empty()) {
    out += " " + badges;
  }
  if (!event.description.empty()) {
    out += "<p class=\"desc\">" + escape(first_line(event.description)) + "</p>";
  }
  return out + "</li>\n";
}

std::string changes_section(const SiteModel& model)
{
  using Status = CompatResult::Status;
  std::map<Status, std::vector<const EventType*>> by_status;
  for (const EventType* event : model.catalog->all_events()) {
    by_status[model.compat.at(event).status].push_back(event);
  }
  std::string out = "<section class=\"changes\" aria-labelledby=\"changes\">\n<h2 "
                    "id=\"changes\">Changes against <code>"
                    + escape(*model.options->against) + "</code></h2>\n<p>";
  out += plural(by_status[Status::unchanged].size(), "event unchanged", "events unchanged") + ", "
         + plural(by_status[Status::changed].size(), "changed compatibly", "changed compatibly")
         + ", " + std::to_string(by_status[Status::incompatible].size()) + " incompatible, "
         + std::to_string(by_status[Status::added].size()) + " new, "
         + std::to_string(model.removed.size())
         + " removed (full compatibility, as <code>oex compat --against</code>).</p>\n";
  const auto list = [&](Status status, std::string_view heading) {
    const auto& events = by_status[status];
    if (events.empty()) {
      return;
    }
    out += "<h3>" + std::string(heading) + "</h3>\n<ul>\n";
    for (const EventType* event : events) {
      out += "<li><a href=\"" + escape(event_path(*event)) + "\"><code class=\"type\">"
             + escape(event->event_type) + "</code></a>";
      const auto& reasons = model.compat.at(event).reasons;
      if (!reasons.empty()) {
        out += escaped_list(reasons, "reasons");
      }
      out += "</li>\n";
    }
    out += "</ul>\n";
  };
  list(Status::incompatible, "Incompatible");
  list(Status::changed, "Changed, compatible");
  list(Status::added, "New (no stored schema)");
  if (!model.removed.empty()) {
    out += "<h3>Removed (a stored schema no event has)</h3>\n"
           + escaped_list(model.removed, "", ItemMarkup::code);
  }
  return out + "</section>\n";
}

} // namespace

std::string index_page(const SiteModel& model)
{
  const Catalog& catalog = *model.catalog;
  const auto& events = catalog.all_events();
  const std::vector<std::string> subdomains = catalog.subdomains();
  const auto avro = std::count_if(events.begin(), events.end(),
                                  [](const EventType* e) { return !avro_schema_problem(*e); });
  const auto warned = std::count_if(events.begin(), events.end(),
                                    [](const EventType* e) { return e->warning.has_value(); });
  std::string body =
    "<h1>" + escape(model.title) + "</h1>\n<p class=\"counts\">"
    + plural(events.size(), "event type", "event types") + " in "
    + plural(subdomains.size(), "subdomain", "subdomains") + " · " + std::to_string(avro)
    + " with an Avro schema (can go on the event bus) · " + std::to_string(warned)
    + " with an upstream warning · <a href=\"classes.html\">"
    + plural(catalog.data_classes().size(), "data class", "data classes") + "</a></p>\n";
  if (model.options->against) {
    body += changes_section(model);
  }
  const std::string total = plural(events.size(), "event type", "event types");
  body +=
    "<div class=\"filter\" role=\"search\">\n<label for=\"q\">Search events</label>\n"
    "<input id=\"q\" type=\"search\" placeholder=\"type, variable name, data class or field\" "
    "autocomplete=\"off\" spellcheck=\"false\" aria-controls=\"events\" "
    "aria-describedby=\"q-help\">\n"
    "<p id=\"q-status\" class=\"status\" role=\"status\" data-total=\""
    + std::to_string(events.size()) + "\">" + total
    + "</p>\n"
      "<p id=\"q-help\" class=\"help\">Press <kbd>/</kbd> to search, <kbd>↓</kbd> "
      "<kbd>↑</kbd> to move through the results, <kbd>Enter</kbd> to open the first, "
      "<kbd>Esc</kbd> to clear.</p>\n</div>\n";
  body += "<div id=\"events\">\n";
  for (const std::string& subdomain : subdomains) {
    std::string items;
    std::size_t count = 0;
    for (const EventType* event : events) {
      if (event->subdomain == subdomain) {
        items += event_item(model, *event);
        ++count;
      }
    }
    const std::string id = "sd-" + file_slug(subdomain);
    body += "<section id=\"" + escape(id) + "\" aria-labelledby=\"h-" + escape(id)
            + "\">\n<h2 id=\"h-" + escape(id) + "\">" + escape(subdomain)
            + " <span class=\"count\" data-total=\"" + std::to_string(count) + "\">"
            + std::to_string(count) + "</span></h2>\n<ul class=\"events\">\n" + items
            + "</ul>\n</section>\n";
  }
  body += "<p id=\"no-match\" class=\"none\" hidden>No event type matches.</p>\n</div>\n";
  return render_page(model, {model.title, "", body, true});
}

std::string classes_page(const SiteModel& model)
{
  std::map<std::string, std::vector<const DataClass*>> by_subdomain;
  for (const DataClass& cls : model.catalog->data_classes()) {
    by_subdomain[cls.subdomain].push_back(&cls);
  }
  std::string body = "<h1>Data classes</h1>\n<p class=\"counts\">"
                     + plural(model.catalog->data_classes().size(), "data class", "data classes")
                     + " in " + plural(by_subdomain.size(), "subdomain", "subdomains")
                     + ", namespaced by subdomain.</p>\n";
  for (const auto& [subdomain, classes] : by_subdomain) {
    const std::string id = "sd-" + file_slug(subdomain);
    body += "<section aria-labelledby=\"" + escape(id) + "\">\n<h2 id=\"" + escape(id) + "\">"
            + escape(subdomain) + " <span class=\"count\">" + std::to_string(classes.size())
            + "</span></h2>\n<ul class=\"classes\">\n";
    for (const DataClass* cls : classes) {
      const std::size_t users = model.uses_of(*cls).size();
      body += "<li><a href=\"" + escape(class_path(*cls)) + "\"><code>"
              + escape(cls->qualified_name()) + "</code></a> <span class=\"note\">"
              + plural(cls->fields.size(), "field", "fields") + ", used by "
              + plural(users, "event", "events") + "</span></li>\n";
    }
    body += "</ul>\n</section>\n";
  }
  return render_page(model, {"Data classes · " + model.title, "", body, false});
}

} // namespace oex::docs
