#include "oex/avro/compat.hpp"

#include <algorithm>
#include <set>

#include "avro/resolution.hpp"

namespace oex::avro {

namespace {

// Walks a writer schema and a reader schema together, noting every place where data of the
// writer's type could not be resolved into the reader's.
class Checker
{
public:
  Checker(Direction direction, std::vector<Incompatibility>& out)
    : m_direction(direction)
    , m_out(out)
  {
  }

  void check(const Node& w, const Node& r, const std::string& path)
  {
    if (w.kind == Kind::union_) {
      // every branch the writer may have written must be readable
      for (const Node* branch : w.branches) {
        if (r.kind == Kind::union_ && union_branch(r, *branch) < 0) {
          note(path, describe(*branch) + " (in " + describe(w) + ") cannot be read as " + describe(r));
        } else {
          check(*branch, r, path);
        }
      }
      return;
    }
    if (r.kind == Kind::union_) {
      const int branch = union_branch(r, w);
      if (branch < 0) {
        note(path, describe(w) + " cannot be read as " + describe(r));
      } else {
        check(w, *r.branches[static_cast<std::size_t>(branch)], path);
      }
      return;
    }
    if (match(w, r) == Match::none) {
      std::string reason = describe(w) + " cannot be read as " + describe(r);
      if (w.kind == Kind::fixed && r.kind == Kind::fixed && w.size != r.size) {
        reason += " (size " + std::to_string(w.size) + " vs " + std::to_string(r.size) + ")";
      }
      note(path, reason);
      return;
    }
    switch (w.kind) {
    case Kind::array:
      check(*w.items, *r.items, path + "[]");
      return;
    case Kind::map:
      check(*w.items, *r.items, path + "{}");
      return;
    case Kind::enum_:
      check_enum(w, r, path);
      return;
    case Kind::record:
      if (m_open.insert({&w, &r}).second) {
        check_record(w, r, path);
      }
      return;
    default:
      return;
    }
  }

private:
  static std::string at(const std::string& path, const std::string& name)
  {
    return path.empty() ? name : path + "." + name;
  }

  void note(const std::string& path, std::string reason)
  {
    m_out.push_back({m_direction, path, std::move(reason)});
  }

  // Writer and reader as old and new, for messages.
  const char* writer_age() const { return m_direction == Direction::backward ? "old" : "new"; }

  void check_enum(const Node& w, const Node& r, const std::string& path)
  {
    if (r.enum_default) {
      return; // unknown symbols read as the default
    }
    for (const std::string& symbol : w.symbols) {
      if (std::find(r.symbols.begin(), r.symbols.end(), symbol) == r.symbols.end()) {
        note(path, "symbol '" + symbol + "' of the " + writer_age()
                     + " enum is missing from the other, which has no default");
      }
    }
  }

  void check_record(const Node& w, const Node& r, const std::string& path)
  {
    const RecordPlan plan = plan_record(w, r);
    for (const Field* field : plan.without_default) {
      note(at(path, field->name), m_direction == Direction::backward
                                    ? "field added without a default"
                                    : "field removed, and the old schema has no default for it");
    }
    for (std::size_t i = 0; i < w.fields.size(); ++i) {
      if (plan.reader_index[i] >= 0) {
        const Field& rf = r.fields[static_cast<std::size_t>(plan.reader_index[i])];
        check(*w.fields[i].type, *rf.type, at(path, rf.name));
      }
    }
  }

  Direction m_direction;
  std::vector<Incompatibility>& m_out;
  std::set<std::pair<const Node*, const Node*>> m_open; // record pairs already checked
};

} // namespace

std::vector<Incompatibility> compatibility(const Schema& old_schema, const Schema& new_schema,
                                           Direction direction)
{
  std::vector<Incompatibility> out;
  if (direction != Direction::forward) {
    Checker(Direction::backward, out).check(old_schema.root(), new_schema.root(), "");
  }
  if (direction != Direction::backward) {
    Checker(Direction::forward, out).check(new_schema.root(), old_schema.root(), "");
  }
  return out;
}

} // namespace oex::avro
