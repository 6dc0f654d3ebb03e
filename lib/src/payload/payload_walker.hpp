#pragma once

// The payload rules, written once over a JSON node adapter so that the fast path (RapidJSON DOM,
// no positions) and the exact path (JsonValue, with positions) cannot disagree.
//
// A Node adapter provides: kind() -> NodeKind; string() -> std::string_view; boolean();
// int64() (kind integer); number_text() (for messages); offset() (Finding::npos when unknown);
// for_each_member(f(key, key_offset, Node)) and for_each_element(f(Node)), each stopping when f
// returns false.

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "oex/catalog/catalog.hpp"
#include "oex/keys/datetime.hpp"
#include "oex/keys/opaque_keys.hpp"
#include "oex/util/text.hpp"
#include "oex/keys/uuid.hpp"
#include "oex/payload/validate.hpp"

namespace oex {

enum class NodeKind { null, boolean, integer, big_integer, number, string, array, object };

// Collects findings; in first-only mode it stops the walk at the first one.
class FindingSink
{
public:
  explicit FindingSink(bool first_only)
    : m_first_only(first_only)
  {
  }
  bool done() const { return m_first_only && !m_findings.empty(); }
  void add(Finding finding) { m_findings.push_back(std::move(finding)); }
  std::vector<Finding>& findings() { return m_findings; }
  bool first_only() const { return m_first_only; }

private:
  bool m_first_only;
  std::vector<Finding> m_findings;
};

// The keys seen so far in one object, without heap allocation for the usual small objects, and
// in a hash set past them (an object with a million keys must not take a million squared).
class SeenKeys
{
public:
  bool contains(std::string_view key) const
  {
    const std::string_view* end = m_inline.data() + std::min(m_size, m_inline.size());
    return std::find(m_inline.data(), end, key) != end || m_overflow.contains(key);
  }
  void add(std::string_view key)
  {
    if (m_size < m_inline.size()) {
      m_inline[m_size] = key;
    } else {
      m_overflow.insert(key);
    }
    ++m_size;
  }

private:
  std::array<std::string_view, 24> m_inline;
  std::size_t m_size = 0;
  std::unordered_set<std::string_view> m_overflow;
};

// The JSON path being walked, rendered only when a finding needs it.
class PathStack
{
public:
  void push_key(std::string_view key) { m_segments.push_back({key, 0, false}); }
  void push_index(std::size_t index) { m_segments.push_back({{}, index, true}); }
  void pop() { m_segments.pop_back(); }
  std::string render() const;

private:
  struct Segment
  {
    std::string_view key;
    std::size_t index;
    bool is_index;
  };
  std::vector<Segment> m_segments;
};

// "string \"12\"", "integer 12", "null", "object": what a finding says was found.
std::string quote_for_message(std::string_view text);
std::string_view expected_name(const Type& type);

template <typename Node>
class PayloadWalker
{
public:
  PayloadWalker(const EventType& event, FindingSink& sink)
    : m_event(event)
    , m_sink(sink)
  {
  }

  void data(const Node& root)
  {
    if (root.kind() != NodeKind::object) {
      report(root.offset(), "expected an object with the event's data keys, got " + describe(root));
      return;
    }
    SeenKeys seen;
    root.for_each_member([&](std::string_view key, std::size_t key_offset, const Node& value) {
      if (!first_sighting(seen, key, key_offset, "argument")) {
        return !m_sink.done();
      }
      auto it = std::find_if(m_event.data.begin(), m_event.data.end(),
                             [&](const DataKey& k) { return k.name == key; });
      if (it == m_event.data.end()) {
        report(key_offset, "unexpected argument '" + std::string(key) + "'");
      } else {
        m_path.push_key(key);
        Type type;
        type.kind = TypeKind::record;
        type.record = it->data_class;
        check(type, value, false);
        m_path.pop();
      }
      return !m_sink.done();
    });
    for (const DataKey& key : m_event.data) {
      if (m_sink.done()) {
        return;
      }
      if (!seen.contains(key.name)) {
        report(root.offset(), "missing required argument '" + key.name + "'");
      }
    }
  }

  // A document {"metadata": {...}, "data": {...}} (PayloadForm::envelope).
  void envelope(const Node& root);
  // The envelope's metadata: upstream's EventsMetadata attributes, for this event type.
  void metadata(const Node& node);

  PathStack& path() { return m_path; }

  // Notes key as seen in the current object; a key seen before is reported as a duplicate.
  bool first_sighting(SeenKeys& seen, std::string_view key, std::size_t key_offset,
                      std::string_view noun)
  {
    if (seen.contains(key)) {
      report(key_offset, "duplicate " + std::string(noun) + " '" + std::string(key) + "'");
      return false;
    }
    seen.add(key);
    return true;
  }

  void report(std::size_t offset, std::string message)
  {
    if (m_sink.first_only()) {
      m_sink.add({});
      return;
    }
    m_sink.add({.path = m_path.render(), .offset = offset, .message = std::move(message)});
  }

  static std::string describe(const Node& node)
  {
    switch (node.kind()) {
    case NodeKind::null:
      return "null";
    case NodeKind::boolean:
      return node.boolean() ? "boolean true" : "boolean false";
    case NodeKind::integer:
    case NodeKind::big_integer:
      return "integer " + std::string(node.number_text());
    case NodeKind::number:
      return "number " + std::string(node.number_text());
    case NodeKind::string:
      return "string " + quote_for_message(node.string());
    case NodeKind::array:
      return "array";
    case NodeKind::object:
      return "object";
    }
    return "value";
  }

  void mismatch(const Type& type, const Node& node)
  {
    report(node.offset(),
           "expected " + std::string(expected_name(type)) + ", got " + describe(node));
  }

  void check(const Type& type, const Node& node, bool nullable)
  {
    const NodeKind kind = node.kind();
    if (kind == NodeKind::null) {
      if (!nullable) {
        mismatch(type, node);
      }
      return;
    }
    switch (type.kind) {
    case TypeKind::str:
    case TypeKind::bytes:
    case TypeKind::binary_io:
      if (kind != NodeKind::string) {
        mismatch(type, node);
      }
      return;
    case TypeKind::int_:
      if (kind == NodeKind::big_integer) {
        report(node.offset(),
               "integer out of the 64-bit range: " + std::string(node.number_text()));
      } else if (kind != NodeKind::integer) {
        mismatch(type, node);
      }
      return;
    case TypeKind::bool_:
      if (kind != NodeKind::boolean) {
        mismatch(type, node);
      }
      return;
    case TypeKind::float_:
      if (kind != NodeKind::integer && kind != NodeKind::big_integer && kind != NodeKind::number) {
        mismatch(type, node);
      }
      return;
    case TypeKind::datetime:
      if (kind != NodeKind::string) {
        mismatch(type, node);
      } else if (!parse_isoformat(node.string())) {
        report(node.offset(), "invalid datetime " + quote_for_message(node.string())
                                + " (expected ISO 8601, e.g. 2026-01-05T10:00:00+00:00)");
      }
      return;
    case TypeKind::uuid:
      if (kind != NodeKind::string) {
        mismatch(type, node);
      } else if (!canonical_uuid(node.string())) {
        report(node.offset(), "invalid UUID " + quote_for_message(node.string()));
      }
      return;
    case TypeKind::opaque_key:
      if (kind != NodeKind::string) {
        mismatch(type, node);
      } else if (!is_valid_key(type.key, node.string())) {
        report(node.offset(), "invalid " + std::string(key_kind_name(type.key)) + " "
                                + quote_for_message(node.string()) + " (expected "
                                + std::string(key_form(type.key)) + ")");
      }
      return;
    case TypeKind::list:
      if (kind != NodeKind::array) {
        mismatch(type, node);
        return;
      }
      {
        std::size_t index = 0;
        node.for_each_element([&](const Node& element) {
          m_path.push_index(index++);
          check(*type.element, element, false);
          m_path.pop();
          return !m_sink.done();
        });
      }
      return;
    case TypeKind::dict:
      if (kind != NodeKind::object) {
        mismatch(type, node);
        return;
      }
      node.for_each_member([&](std::string_view key, std::size_t, const Node& value) {
        m_path.push_key(key);
        check(*type.element, value, false);
        m_path.pop();
        return !m_sink.done();
      });
      return;
    case TypeKind::record:
      if (kind != NodeKind::object) {
        mismatch(type, node);
        return;
      }
      record(*type.record, node);
      return;
    }
  }

  void record(const DataClass& cls, const Node& node)
  {
    SeenKeys seen;
    node.for_each_member([&](std::string_view key, std::size_t key_offset, const Node& value) {
      if (!first_sighting(seen, key, key_offset, "field")) {
        return !m_sink.done();
      }
      auto field = std::find_if(cls.fields.begin(), cls.fields.end(),
                                [&](const Field& f) { return f.name == key; });
      if (field == cls.fields.end()) {
        unknown_field(cls, key, key_offset);
      } else {
        m_path.push_key(key);
        check(field->type, value, field->default_value.kind == DefaultKind::none);
        m_path.pop();
      }
      return !m_sink.done();
    });
    for (const Field& field : cls.fields) {
      if (m_sink.done()) {
        return;
      }
      if (!field.default_value.optional() && !seen.contains(field.name)) {
        report(node.offset(), "missing required field '" + field.name + "' of " + cls.name);
      }
    }
  }

private:
  void unknown_field(const DataClass& cls, std::string_view key, std::size_t key_offset)
  {
    if (m_sink.first_only()) {
      report(key_offset, {});
      return;
    }
    std::vector<std::string_view> names;
    for (const Field& f : cls.fields) {
      names.push_back(f.name);
    }
    std::string message = "unknown field '" + std::string(key) + "' in " + cls.name;
    if (auto near = closest_match(key, names)) {
      message += ", did you mean '" + *near + "'?";
    }
    report(key_offset, std::move(message));
  }

  const EventType& m_event;
  FindingSink& m_sink;
  PathStack m_path;
};

template <typename Node>
void PayloadWalker<Node>::envelope(const Node& root)
{
  if (root.kind() != NodeKind::object) {
    report(root.offset(),
           "expected an envelope {\"metadata\": ..., \"data\": ...}, got " + describe(root));
    return;
  }
  bool has_metadata = false;
  bool has_data = false;
  root.for_each_member([&](std::string_view key, std::size_t key_offset, const Node& value) {
    bool& seen = key == "metadata" ? has_metadata : has_data;
    if (key != "metadata" && key != "data") {
      report(key_offset, "unexpected key '" + std::string(key)
                           + "' in the envelope (expected metadata and data)");
    } else if (seen) {
      report(key_offset, "duplicate key '" + std::string(key) + "'");
    } else {
      seen = true;
      m_path.push_key(key);
      if (key == "metadata") {
        metadata(value);
      } else {
        data(value);
      }
      m_path.pop();
    }
    return !m_sink.done();
  });
  if (!has_metadata && !m_sink.done()) {
    report(root.offset(), "missing 'metadata'");
  }
  if (!has_data && !m_sink.done()) {
    report(root.offset(), "missing 'data'");
  }
}

template <typename Node>
void PayloadWalker<Node>::metadata(const Node& node)
{
  static constexpr std::string_view k_required[] = {"event_type", "id",   "source",
                                                    "sourcehost", "time", "sourcelib"};
  if (node.kind() != NodeKind::object) {
    report(node.offset(), "expected an EventsMetadata object, got " + describe(node));
    return;
  }
  SeenKeys seen;
  node.for_each_member([&](std::string_view key, std::size_t key_offset, const Node& value) {
    if (!first_sighting(seen, key, key_offset, "field")) {
      return !m_sink.done();
    }
    m_path.push_key(key);
    const NodeKind kind = value.kind();
    const auto expect = [&](bool ok, std::string_view what) {
      if (!ok) {
        report(value.offset(), "expected " + std::string(what) + ", got " + describe(value));
      }
      return ok;
    };
    if (key == "event_type") {
      if (expect(kind == NodeKind::string, "string") && value.string() != m_event.event_type) {
        report(value.offset(), "event type " + quote_for_message(value.string())
                                 + " does not match " + quote_for_message(m_event.event_type));
      }
    } else if (key == "id") {
      if (expect(kind == NodeKind::string, "UUID string") && !canonical_uuid(value.string())) {
        report(value.offset(), "invalid UUID " + quote_for_message(value.string()));
      }
    } else if (key == "minorversion") {
      if (kind != NodeKind::null) {
        expect(kind == NodeKind::integer, "integer");
      }
    } else if (key == "source" || key == "sourcehost") {
      expect(kind == NodeKind::string, "string");
    } else if (key == "time") {
      if (expect(kind == NodeKind::string, "datetime string")) {
        auto time = parse_isoformat(value.string());
        if (!time) {
          report(value.offset(), "invalid datetime " + quote_for_message(value.string())
                                   + " (expected ISO 8601, e.g. 2026-01-05T10:00:00+00:00)");
        } else if (!time->is_utc()) {
          report(value.offset(), "'time' must have timezone.utc");
        }
      }
    } else if (key == "sourcelib") {
      // The rule of sourcelib_from_json (metadata/, which this area may not use): one or more
      // non-negative 64-bit integers. A test checks that the two agree.
      std::size_t count = 0;
      bool integers = kind == NodeKind::array;
      if (integers) {
        value.for_each_element([&](const Node& part) {
          ++count;
          const std::string text =
            part.kind() == NodeKind::integer ? std::string(part.number_text()) : "-1";
          integers = integers && (!text.starts_with('-') || text == "-0");
          return true;
        });
      }
      expect(integers && count >= 1, "an array of one or more non-negative 64-bit integers");
    } else {
      m_path.pop();
      report(key_offset, "unknown field '" + std::string(key) + "' in EventsMetadata");
      return !m_sink.done();
    }
    m_path.pop();
    return !m_sink.done();
  });
  for (std::string_view key : k_required) {
    if (m_sink.done()) {
      return;
    }
    if (!seen.contains(key)) {
      report(node.offset(), "missing required field '" + std::string(key) + "' of EventsMetadata");
    }
  }
}

} // namespace oex
