// oex::docs: the static site as strings: every event, escaping, names, determinism, --against.

#include <algorithm>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "docs/site_model.hpp"
#include "oex/avro/avro_schema.hpp"
#include "oex/docs/site.hpp"
#include "oex/util/error.hpp"
#include "oex/util/python_json.hpp"
#include "support/catalog_fixture.hpp"

using oex::docs::build_site;
using oex::docs::SiteFile;
using oex::docs::SiteOptions;

namespace {

std::string read_text(const std::string& path)
{
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const oex::Catalog& acme_catalog()
{
  static const oex::Catalog k_catalog = [] {
    auto sources = oex::Catalog::builtin_sources();
    sources.push_back({"acme.json", read_text(TEST_DATA_DIR "/docs/defs/acme.json")});
    return oex::Catalog::load(sources);
  }();
  return k_catalog;
}

const SiteFile& file(const std::vector<SiteFile>& files, const std::string& path)
{
  const auto found =
    std::find_if(files.begin(), files.end(), [&](const SiteFile& f) { return f.path == path; });
  REQUIRE(found != files.end());
  return *found;
}

bool has(const std::string& text, const std::string& part)
{
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("docs::build_site: every event on the index, a page each, the same bytes every time")
{
  const auto files = build_site(oex::test::catalog(), {});
  const std::string& index = file(files, "index.html").content;
  for (const oex::EventType* event : oex::test::catalog().all_events()) {
    // One unbroken string inside one element.
    CHECK(has(index, "<code class=\"type\">" + event->event_type + "</code>"));
    const std::string& page = file(files, "events/" + event->event_type + ".html").content;
    CHECK(has(page, "<h1><code class=\"type\">" + event->event_type + "</code></h1>"));
    CHECK(file(files, "schemas/" + event->event_type + ".schema.json").content.starts_with("{"));
  }
  CHECK(has(index, "75 event types in 5 subdomains"));
  CHECK(has(index, "72 with an Avro schema"));
  CHECK(std::count_if(files.begin(), files.end(),
                      [](const SiteFile& f) { return f.path.ends_with(".avsc"); })
        == 72);
  for (const SiteFile& f : files) {
    CHECK_FALSE(has(f.path, ".."));
    CHECK_FALSE(f.path.starts_with("/"));
    CHECK_FALSE(has(f.content, "http://")); // nothing loaded from elsewhere
    CHECK_FALSE(has(f.content, "src=\"https:"));
  }
  const auto again = build_site(oex::test::catalog(), {});
  REQUIRE(again.size() == files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    CHECK(again[i].path == files[i].path);
    CHECK(again[i].content == files[i].content);
  }
}

TEST_CASE("docs::build_site: an event page holds the sample, metadata, schemas and commands")
{
  const auto files = build_site(oex::test::catalog(), {});
  const oex::EventType& event =
    oex::test::catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  const std::string& page = file(files, "events/" + event.event_type + ".html").content;
  CHECK(has(page, "<dt>Variable name</dt><dd><code>COURSE_ENROLLMENT_CREATED</code></dd>"));
  CHECK(has(page, "<code class=\"field\">enrollment</code>: <a "
                  "href=\"../classes/learning.CourseEnrollmentData.html\">"));
  CHECK(has(page, "&quot;id&quot;: &quot;")); // metadata, escaped JSON
  CHECK(has(page, "&quot;sourcehost&quot;: &quot;example-host&quot;"));
  CHECK(
    has(page, "oex sample org.openedx.learning.course.enrollment.created.v1 &gt; payload.json"));
  CHECK(has(page, "download=\"org+openedx+learning+course+enrollment+created+v1_schema.avsc\""));
  // The schema file is the text `oex schema` prints.
  CHECK(file(files, "schemas/" + event.event_type + ".avsc").content
        == oex::python_json_dumps(oex::avro_schema(event), 2));
}

TEST_CASE("docs::build_site: definitions are escaped, and a class of another subdomain is linked")
{
  SiteOptions options;
  options.defs_args = {"defs dir"};
  const auto files = build_site(acme_catalog(), options);
  const std::string& index = file(files, "index.html").content;
  CHECK(has(index, "Sent when a learner earns a badge. "
                   "&lt;script&gt;alert(&quot;awarded&quot;)&lt;/script&gt; &amp; friends"));
  CHECK_FALSE(has(index, "<script>alert"));
  CHECK(has(
    index,
    "<code class=\"type\">org.acme.badge.&lt;b&gt;odd&lt;b&gt;&amp;&#39;quoted&quot;.v1</code>"));
  const std::string odd_path = "events/org.acme.badge.~3cb~3eodd~3cb~3e~26~27quoted~22.v1.html";
  const std::string& odd = file(files, odd_path).content;
  CHECK(has(odd, "Not for production &lt;img src=x onerror=alert(1)&gt;"));
  CHECK_FALSE(has(odd, "<img"));
  // Shell-quoted in the commands, then escaped.
  CHECK(has(odd,
            "oex --defs &#39;defs dir&#39; sample "
            "&#39;org.acme.badge.&lt;b&gt;odd&lt;b&gt;&amp;&#39;\\&#39;&#39;quoted&quot;.v1&#39;"));
  const std::string& badge = file(files, "classes/acme.BadgeData.html").content;
  CHECK(has(badge, "<a href=\"../classes/learning.UserData.html\"><code>UserData</code></a>"));
  CHECK(has(badge, "<a href=\"../events/org.acme.badge.awarded.v1.html\">"));
  const std::string& user = file(files, "classes/learning.UserData.html").content;
  CHECK(has(user, "<a href=\"../events/org.acme.badge.awarded.v1.html\"><code "
                  "class=\"type\">org.acme.badge.awarded.v1</code></a> <span class=\"note\">inside "
                  "its data</span>"));
  CHECK(has(user, "<a href=\"../" + odd_path + "\">"));
  CHECK(has(user,
            "<li><a href=\"../classes/acme.BadgeData.html\"><code>acme.BadgeData</code></a></li>"));
  CHECK(has(file(files, "classes.html").content, "<h2 id=\"sd-acme\">acme"));
}

TEST_CASE("docs::file_slug")
{
  using oex::docs::file_slug;
  CHECK(file_slug("org.openedx.learning.course.enrollment.created.v1")
        == "org.openedx.learning.course.enrollment.created.v1");
  CHECK(file_slug("..") == "~2e.");
  CHECK(file_slug("a/b c_d") == "a~2fb~20c_d");
  const std::string long_a(300, 'a');
  const std::string long_b = std::string(299, 'a') + "b";
  CHECK(file_slug(long_a).size() == 150);
  CHECK(file_slug(long_a) != file_slug(long_b));
  CHECK(oex::docs::shell_quote("it's") == "'it'\\''s'");
  CHECK(oex::docs::shell_quote("a.b_c") == "a.b_c");
}

TEST_CASE("docs::build_site --against: verdicts per event and the changes on the index")
{
  const oex::Catalog& catalog = oex::test::catalog();
  SiteOptions options;
  options.against = "schemas";
  for (const oex::EventType* event : catalog.all_events()) {
    if (!oex::avro_schema_problem(*event)) {
      options.stored_schemas[oex::avro_schema_file_name(*event)] =
        oex::python_json_dumps(oex::avro_schema(*event), 2);
    }
  }
  const oex::EventType& enrollment =
    catalog.get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  const oex::EventType& published =
    catalog.get_signal_by_type("org.openedx.content_authoring.xblock.published.v1");
  // The stored enrollment schema had user.id as a string; the stored xblock one is missing.
  std::string& stored = options.stored_schemas[oex::avro_schema_file_name(enrollment)];
  const auto at = stored.find("\"name\": \"id\",\n");
  REQUIRE(at != std::string::npos);
  const auto type_at = stored.find("\"long\"", at);
  stored.replace(type_at, 6, "\"string\"");
  options.stored_schemas.erase(oex::avro_schema_file_name(published));
  options.stored_schemas["org+gone+v1_schema.avsc"] = "\"string\"";

  const auto files = build_site(catalog, options);
  const std::string& index = file(files, "index.html").content;
  CHECK(has(index, "70 events unchanged, 0 changed compatibly, 1 incompatible, 1 new, 1 removed"));
  CHECK(has(index, "<li><code>org+gone+v1_schema.avsc</code></li>"));
  const std::string& page = file(files, "events/" + enrollment.event_type + ".html").content;
  CHECK(has(page, "<p class=\"verdict bad\">incompatible (full: backward and forward)</p>"));
  CHECK(has(page, "<li>backward: enrollment.user.id: string cannot be read as long</li>"));
  CHECK(has(file(files, "events/" + published.event_type + ".html").content,
            "<p class=\"verdict good\">new: no stored schema</p>"));

  options.stored_schemas[oex::avro_schema_file_name(published)] = "{\"type\": \"strin\"}";
  CHECK_THROWS_WITH(build_site(catalog, options),
                    "schemas/org+openedx+content_authoring+xblock+published+v1_schema.avsc: type: "
                    "unknown type 'strin'");
}

TEST_CASE("docs::build_eventcatalog: a domain per subdomain, its events with their schemas")
{
  const auto files = oex::docs::build_eventcatalog(acme_catalog(), {});
  const oex::EventType& enrollment =
    acme_catalog().get_signal_by_type("org.openedx.learning.course.enrollment.created.v1");
  const std::string folder = "domains/learning/events/" + enrollment.event_type;
  const std::string& page = file(files, folder + "/index.mdx").content;
  CHECK(
    page.starts_with("---\nid: \"org.openedx.learning.course.enrollment.created.v1\"\nname: "
                     "\"COURSE_ENROLLMENT_CREATED\"\nversion: \"1.0.0\"\nsummary: \"Sent after "
                     "a learner enrolls in a course run\"\nschemaPath: \"schema.avsc\"\n---\n"));
  CHECK(has(page, "| Event type | `org.openedx.learning.course.enrollment.created.v1` |\n"));
  CHECK(has(page, "  - `user`: UserData, required\n"));
  CHECK(has(
    page, "```sh\noex sample org.openedx.learning.course.enrollment.created.v1 > payload.json\n"));
  CHECK(file(files, folder + "/schema.avsc").content
        == oex::python_json_dumps(oex::avro_schema(enrollment), 2));
  CHECK(file(files, folder + "/schema.json").content.starts_with("{"));
  CHECK(has(file(files, "domains/learning/index.mdx").content,
            "- `org.openedx.learning.course.enrollment.created.v1`: Sent after a learner enrolls"));

  // Text from definitions cannot start JSX or HTML; the odd type is kept whole in code.
  const std::string& acme = file(files, "domains/acme/index.mdx").content;
  CHECK(has(acme, "&lt;script&gt;alert(&quot;awarded&quot;)&lt;/script&gt; &amp; friends"));
  const std::string& odd =
    file(files, "domains/acme/events/org.acme.badge.~3cb~3eodd~3cb~3e~26~27quoted~22.v1/index.mdx")
      .content;
  CHECK(has(odd, "id: \"org.acme.badge.<b>odd<b>&'quoted\\\".v1\"\nname: \"BADGE_ODD\"\nversion: "
                 "\"1.2.0\"\n"));
  CHECK(has(odd,
            "**Warning (openedx-events):** Not for production &lt;img src=x onerror=alert(1)&gt;"));
  CHECK(has(odd, "badges:\n  - content: \"upstream warning\"\n"));
  const auto again = oex::docs::build_eventcatalog(acme_catalog(), {});
  REQUIRE(again.size() == files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    CHECK(again[i].content == files[i].content);
  }
}
