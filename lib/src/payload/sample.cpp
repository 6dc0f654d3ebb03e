// Realistic, reproducible payloads. The generator is our own (splitmix64) rather than
// std::uniform_int_distribution, whose output differs between standard libraries.

#include "oex/payload/sample.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/util/error.hpp"

namespace oex {

using json = nlohmann::ordered_json;

namespace {

class Rng
{
public:
  explicit Rng(std::uint64_t seed)
    : m_state(seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL)
  {
  }

  std::uint64_t next()
  {
    std::uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::uint64_t below(std::uint64_t n) { return next() % n; }
  std::int64_t between(std::int64_t low, std::int64_t high)
  {
    return low + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(high - low + 1)));
  }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  template <std::size_t N>
  const char* pick(const std::array<const char*, N>& items)
  {
    return items[below(N)];
  }

private:
  std::uint64_t m_state;
};

constexpr std::array k_first_names{"ada",    "grace",   "alan", "katherine", "linus", "margaret",
                                   "dennis", "barbara", "ken",  "radia",     "tim",   "hedy"};
constexpr std::array k_last_names{"lovelace", "hopper",   "turing",      "johnson",
                                  "torvalds", "hamilton", "ritchie",     "liskov",
                                  "thompson", "perlman",  "berners-lee", "lamarr"};
constexpr std::array k_orgs{"edX", "MITx", "HarvardX", "OpenCraftX", "UQx", "DelftX"};
constexpr std::array k_courses{"DemoX", "CS101", "Math201", "Bio110", "PH207x", "Astro1"};
constexpr std::array k_runs{"2024", "2025_T1", "3T2026", "2026_Spring", "self_paced"};
constexpr std::array k_block_types{"problem", "html", "video", "vertical", "sequential", "chapter"};
constexpr std::array k_modes{"audit", "verified", "honor", "professional", "no-id-professional"};
constexpr std::array k_words{"intro",   "welcome", "week",    "quiz",  "final",   "lab",
                             "reading", "review",  "project", "notes", "summary", "discussion"};
constexpr std::array k_slugs{"demo-lib", "physics-101", "shared-problems", "writing-lab",
                             "math-bank"};

std::string hex(Rng& rng, std::size_t digits)
{
  static const char* k_hex = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < digits; ++i) {
    out += k_hex[rng.below(16)];
  }
  return out;
}

std::string person(Rng& rng)
{
  return std::string(rng.pick(k_first_names)) + "." + rng.pick(k_last_names);
}

std::string course_parts(Rng& rng, char separator)
{
  return std::string(rng.pick(k_orgs)) + separator + rng.pick(k_courses) + separator
         + rng.pick(k_runs);
}

std::string key_value(KeyKind kind, Rng& rng)
{
  switch (kind) {
  case KeyKind::course_key:
    return "course-v1:" + course_parts(rng, '+');
  case KeyKind::usage_key:
    return "block-v1:" + course_parts(rng, '+') + "+type@" + rng.pick(k_block_types) + "+block@"
           + hex(rng, 32);
  case KeyKind::ccx_locator:
    return "ccx-v1:" + course_parts(rng, '+') + "+ccx@" + std::to_string(rng.between(1, 999));
  case KeyKind::library_locator_v2:
    return std::string("lib:") + rng.pick(k_orgs) + ":" + rng.pick(k_slugs);
  case KeyKind::library_usage_locator_v2:
    return std::string("lb:") + rng.pick(k_orgs) + ":" + rng.pick(k_slugs)
           + ":problem:" + rng.pick(k_words) + "-" + hex(rng, 6);
  case KeyKind::library_collection_locator:
    return std::string("lib-collection:") + rng.pick(k_orgs) + ":" + rng.pick(k_slugs) + ":"
           + rng.pick(k_words) + "-collection";
  case KeyKind::library_container_locator:
    return std::string("lct:") + rng.pick(k_orgs) + ":" + rng.pick(k_slugs)
           + ":unit:" + rng.pick(k_words) + "-" + hex(rng, 6);
  }
  return "";
}

std::string datetime_value(Rng& rng)
{
  DateTime time;
  time.year = static_cast<int>(rng.between(2024, 2026));
  time.month = static_cast<int>(rng.between(1, 12));
  time.day = static_cast<int>(rng.between(1, 28));
  time.hour = static_cast<int>(rng.between(0, 23));
  time.minute = static_cast<int>(rng.between(0, 59));
  time.second = static_cast<int>(rng.between(0, 59));
  time.microsecond = rng.chance(50) ? static_cast<int>(rng.between(0, 999'999)) : 0;
  time.utc_offset_us = 0;
  return isoformat(time);
}

std::string uuid_value(Rng& rng, char version)
{
  std::string h = hex(rng, 32);
  h[12] = version;
  h[16] = "89ab"[rng.below(4)];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-"
         + h.substr(20);
}

bool contains(std::string_view name, std::string_view part)
{
  return name.find(part) != std::string_view::npos;
}

// A string that fits the field's name.
std::string string_value(std::string_view name, Rng& rng)
{
  if (contains(name, "uuid")) {
    return uuid_value(rng, '4');
  }
  if (contains(name, "anonymous")) {
    return hex(rng, 32);
  }
  if (name == "location" || contains(name, "usage_key") || contains(name, "block_id")) {
    return key_value(KeyKind::usage_key, rng);
  }
  if (contains(name, "email")) {
    return person(rng) + "@example.com";
  }
  if (contains(name, "username") || name == "user_id" || name == "subject") {
    return std::string(rng.pick(k_first_names)) + "_" + std::to_string(rng.between(1, 9999));
  }
  if (name == "name" || contains(name, "display_name") || contains(name, "full_name")) {
    const std::string first = rng.pick(k_first_names);
    const std::string last = rng.pick(k_last_names);
    return std::string(1, static_cast<char>(first[0] - 32)) + first.substr(1) + " "
           + static_cast<char>(last[0] - 32) + last.substr(1);
  }
  if (contains(name, "url") || contains(name, "uri")) {
    return std::string("https://courses.example.com/") + rng.pick(k_words) + "/" + hex(rng, 8);
  }
  if (name == "mode" || contains(name, "_mode")) {
    return rng.pick(k_modes);
  }
  if (contains(name, "course_id") || contains(name, "course_key")) {
    return "course-v1:" + course_parts(rng, '+');
  }
  if (contains(name, "org")) {
    return rng.pick(k_orgs);
  }
  if (contains(name, "title") || contains(name, "description") || contains(name, "text")) {
    return std::string(rng.pick(k_words)) + " " + rng.pick(k_words) + " " + rng.pick(k_words);
  }
  return std::string(rng.pick(k_words)) + "-" + std::to_string(rng.between(1, 999));
}

json scalar_value(const Type& type, std::string_view name, Rng& rng)
{
  switch (type.kind) {
  case TypeKind::str:
    return string_value(name, rng);
  case TypeKind::int_:
    return contains(name, "id") ? rng.between(1, 250'000) : rng.between(0, 100);
  case TypeKind::bool_:
    return rng.chance(50);
  case TypeKind::float_:
    return static_cast<double>(rng.between(0, 100)) / 100.0;
  case TypeKind::bytes:
  case TypeKind::binary_io:
    return "c2FtcGxl"; // "sample", base64
  case TypeKind::datetime:
    return datetime_value(rng);
  case TypeKind::uuid:
    return uuid_value(rng, '4');
  case TypeKind::opaque_key:
    return key_value(type.key, rng);
  default:
    return nullptr;
  }
}

// Makes one payload. Recursion is cut: a field whose type leads back to a class being built is
// left out when it may be absent, and a list or dict of it is empty (a class that requires
// itself is refused when the catalog loads). Size is bounded: lists get 1 to 3 items and dicts 1
// to 2 entries, and optional fields are drawn, until k_sample_values values are made; past
// that, lists and dicts are empty and optional fields left out. A payload whose required values
// alone exceed k_sample_max_values is refused.
class Sampler
{
public:
  Sampler(const EventType& event, const SampleOptions& options)
    : m_event(event)
    , m_rng(options.seed)
    , m_options(options)
  {
  }

  json payload()
  {
    json out = json::object();
    for (const DataKey& key : m_event.data) {
      out[key.name] = record_value(*key.data_class);
    }
    return out;
  }

private:
  void count()
  {
    if (++m_values > k_sample_max_values) {
      throw Error("cannot sample '" + m_event.event_type
                  + "': its required fields alone need more than "
                  + std::to_string(k_sample_max_values) + " values");
    }
  }

  bool spent() const { return m_values >= k_sample_values; }

  // True when a value of type would lead back to a class being built.
  bool recursive(const Type& type) const
  {
    const Type* t = &type;
    while (t->element) {
      t = t->element.get();
    }
    return t->kind == TypeKind::record
           && std::find(m_building.begin(), m_building.end(), t->record) != m_building.end();
  }

  json record_value(const DataClass& cls)
  {
    count();
    m_building.push_back(&cls);
    json out = json::object();
    for (const Field& field : cls.fields) {
      if (field.default_value.optional()
          && (recursive(field.type) || spent() || m_options.minimal || m_rng.chance(15))) {
        continue;
      }
      out[field.name] = value_for(field.type, field.name);
    }
    m_building.pop_back();
    return out;
  }

  json value_for(const Type& type, std::string_view name)
  {
    switch (type.kind) {
    case TypeKind::list: {
      count();
      json out = json::array();
      const std::int64_t items = recursive(type) || spent() ? 0 : m_rng.between(1, 3);
      for (std::int64_t i = 0; i < items && (i == 0 || !spent()); ++i) {
        out.push_back(value_for(*type.element, name));
      }
      return out;
    }
    case TypeKind::dict: {
      count();
      json out = json::object();
      const std::int64_t entries = recursive(type) || spent() ? 0 : m_rng.between(1, 2);
      for (std::int64_t i = 0; i < entries && (i == 0 || !spent()); ++i) {
        out[std::string(m_rng.pick(k_words))] = value_for(*type.element, name);
      }
      return out;
    }
    case TypeKind::record:
      return record_value(*type.record);
    default:
      count();
      return scalar_value(type, name, m_rng);
    }
  }

  const EventType& m_event;
  Rng m_rng;
  const SampleOptions& m_options;
  std::vector<const DataClass*> m_building; // the classes being built, outermost first
  std::size_t m_values = 0;
};

} // namespace

json sample_payload(const EventType& event, const SampleOptions& options)
{
  return Sampler(event, options).payload();
}

std::string sample_uuid1(std::uint64_t seed)
{
  Rng rng(seed ^ 0x5eed);
  return uuid_value(rng, '1');
}

std::string sample_time(std::uint64_t seed)
{
  Rng rng(seed ^ 0x7133);
  return datetime_value(rng);
}

} // namespace oex
