// HTML helpers and the page frame of `oex docs`.

#include <cstdint>

#include "oex/util/hex.hpp"
#include "oex/util/text.hpp"

#include "site_model.hpp"

namespace oex::docs {

std::string escape(std::string_view text)
{
  return escape_markup(text, true);
}

std::string file_slug(std::string_view name)
{
  static constexpr std::size_t k_max = 150;
  std::string out;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                       || c == '-' || c == '_' || (c == '.' && i > 0);
    out += plain ? std::string(1, static_cast<char>(c))
                 : "~" + to_hex(std::string(1, static_cast<char>(c)));
  }
  if (out.size() > k_max) {
    std::uint64_t hash = 14695981039346656037ULL; // FNV-1a
    for (const char c : name) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    std::string bytes;
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes += static_cast<char>((hash >> shift) & 0xff);
    }
    out = out.substr(0, k_max - 17) + "-" + to_hex(bytes);
  }
  return out;
}

std::string shell_quote(std::string_view word)
{
  const bool plain = !word.empty()
                     && word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                               "abcdefghijklmnopqrstuvwxyz"
                                               "0123456789._/:=@+-")
                          == std::string_view::npos;
  if (plain) {
    return std::string(word);
  }
  std::string out = "'";
  for (const char c : word) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::string first_line(std::string_view text)
{
  return std::string(text.substr(0, text.find('\n')));
}

std::string escaped_list(const std::vector<std::string>& items, std::string_view css_class,
                         ItemMarkup markup)
{
  std::string out =
    css_class.empty() ? "<ul>\n" : "<ul class=\"" + std::string(css_class) + "\">\n";
  for (const std::string& item : items) {
    out += markup == ItemMarkup::code ? "<li><code>" + escape(item) + "</code></li>\n"
                                      : "<li>" + escape(item) + "</li>\n";
  }
  return out + "</ul>\n";
}

std::string event_path(const EventType& event)
{
  return "events/" + file_slug(event.event_type) + ".html";
}

std::string class_path(const DataClass& cls)
{
  return "classes/" + file_slug(cls.qualified_name()) + ".html";
}

std::string avro_path(const EventType& event)
{
  return "schemas/" + file_slug(event.event_type) + ".avsc";
}

std::string json_schema_path(const EventType& event)
{
  return "schemas/" + file_slug(event.event_type) + ".schema.json";
}

std::string render_page(const SiteModel& model, const Page& page)
{
  const Catalog& catalog = *model.catalog;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"color-scheme\" content=\"light dark\">\n";
  out += "<meta name=\"generator\" content=\"oex\">\n";
  out += "<title>" + escape(page.title) + "</title>\n";
  out += "<link rel=\"icon\" href=\"data:,\">\n";
  out += "<link rel=\"stylesheet\" href=\"" + page.root + "assets/style.css\">\n";
  out += "</head>\n<body>\n";
  out += "<a class=\"skip\" href=\"#main\">Skip to content</a>\n";
  out += "<header class=\"site\"><nav aria-label=\"Site\"><a class=\"home\" href=\"" + page.root
         + "index.html\">" + escape(model.title) + "</a> <a href=\"" + page.root
         + "classes.html\">Data classes</a></nav></header>\n";
  out += "<main id=\"main\">\n" + page.body + "</main>\n";
  out += "<footer><p>Made by <code>oex docs</code> from the " + escape(catalog.library_name()) + " "
         + escape(catalog.library_version()) + " catalog";
  if (!model.options->defs_args.empty()) {
    out += " and your own definitions";
  }
  out += ".</p></footer>\n";
  if (page.search_script) {
    out += "<script src=\"" + page.root + "assets/search.js\"></script>\n";
  }
  out += "</body>\n</html>\n";
  return out;
}

} // namespace oex::docs
