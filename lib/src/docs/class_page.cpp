// classes/<subdomain.Name>.html: a data class's fields and the events that use it.

#include "oex/catalog/field_tree.hpp"
#include "site_model.hpp"

namespace oex::docs {

std::string class_page(const SiteModel& model, const DataClass& cls)
{
  const auto link = [](const DataClass& target, std::string_view text) {
    return "<a href=\"../" + escape(class_path(target)) + "\"><code>" + escape(text)
           + "</code></a>";
  };
  std::string body = "<nav class=\"crumbs\" aria-label=\"Breadcrumb\"><a "
                     "href=\"../classes.html\">Data classes</a> › <a href=\"../classes.html#sd-"
                     + escape(file_slug(cls.subdomain)) + "\">" + escape(cls.subdomain)
                     + "</a></nav>\n";
  body += "<h1><code>" + escape(cls.qualified_name()) + "</code></h1>\n<dl class=\"facts\">\n";
  body += "<dt>Subdomain</dt><dd>" + escape(cls.subdomain) + "</dd>\n";
  if (!cls.bases.empty()) {
    body += "<dt>Bases</dt><dd>";
    for (std::size_t i = 0; i < cls.bases.size(); ++i) {
      body += (i ? ", " : "") + link(*cls.bases[i], cls.bases[i]->qualified_name());
    }
    body += "</dd>\n";
  }
  body += "<dt>Defined in</dt><dd><code>" + escape(cls.origin) + "</code></dd>\n</dl>\n";

  body += "<section aria-labelledby=\"fields\">\n<h2 id=\"fields\">Fields</h2>\n";
  if (cls.fields.empty()) {
    body += "<p>No fields.</p>\n";
  } else {
    body += "<div class=\"scroll\" tabindex=\"0\"><table>\n<thead><tr><th scope=\"col\">Field</th>"
            "<th scope=\"col\">Type</th><th scope=\"col\">If left out</th></tr></thead>\n<tbody>\n";
    for (const Field& field : cls.fields) {
      const std::string spelling = field.type.spelling();
      const DataClass* nested = record_of(field.type);
      body += "<tr><th scope=\"row\"><code class=\"field\">" + escape(field.name)
              + "</code></th><td>"
              + (nested ? link(*nested, spelling) : "<code>" + escape(spelling) + "</code>")
              + "</td><td>" + escape(default_text(field.default_value)) + "</td></tr>\n";
    }
    body += "</tbody>\n</table></div>\n";
  }
  body += "</section>\n";

  const auto& uses = model.uses_of(cls);
  body += "<section aria-labelledby=\"events\">\n<h2 id=\"events\">Events that use it <span "
          "class=\"count\">"
          + std::to_string(uses.size()) + "</span></h2>\n";
  if (uses.empty()) {
    body += "<p>No event uses it.</p>\n";
  } else {
    body += "<ul class=\"uses\">\n";
    for (const ClassUse& use : uses) {
      body += "<li><a href=\"../" + escape(event_path(*use.event)) + "\"><code class=\"type\">"
              + escape(use.event->event_type) + "</code></a> <span class=\"note\">"
              + (use.data_key ? "as its data" : "inside its data") + "</span></li>\n";
    }
    body += "</ul>\n";
  }
  body += "</section>\n";

  if (const auto found = model.used_in.find(&cls); found != model.used_in.end()) {
    body += "<section aria-labelledby=\"used-in\">\n<h2 id=\"used-in\">Classes with a field of "
            "this class</h2>\n<ul>\n";
    for (const DataClass* user : found->second) {
      body += "<li>" + link(*user, user->qualified_name()) + "</li>\n";
    }
    body += "</ul>\n</section>\n";
  }
  return render_page(model, {cls.qualified_name() + " · " + model.title, "../", body, false});
}

} // namespace oex::docs
