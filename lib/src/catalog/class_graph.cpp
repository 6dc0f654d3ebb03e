// The checks a definition file could otherwise turn into unbounded recursion: inheritance,
// classes that require themselves, and nesting. Every walk here keeps its own stack, so a
// definition file decides how long a loop runs, never how deep the C++ stack grows.

#include "catalog/class_graph.hpp"

#include <algorithm>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "oex/util/error.hpp"

namespace oex {
namespace {

using Index = std::unordered_map<const DataClass*, std::size_t>;

Index index_of(const std::deque<DataClass>& classes)
{
  Index index;
  index.reserve(classes.size());
  for (std::size_t i = 0; i < classes.size(); ++i) {
    index.emplace(&classes[i], i);
  }
  return index;
}

// The number of List/dict wrappers around a type, and the data class inside, if any.
std::size_t container_depth(const Type& type, const DataClass** record)
{
  std::size_t depth = 0;
  const Type* t = &type;
  while (t->element) {
    ++depth;
    t = t->element.get();
  }
  *record = t->kind == TypeKind::record ? t->record : nullptr;
  return depth;
}

// Depth-first search from every node in turn, with an explicit stack. edges[v] lists the nodes v
// leads to; on_cycle(stack, target) is called for an edge back to a node on the stack (each frame
// holds a node and one past the edge taken from it); finish(v) once all of v's edges are done.
struct Frame
{
  std::size_t node;
  std::size_t next_edge;
};

template <class OnCycle, class Finish>
void depth_first(const std::vector<std::vector<std::size_t>>& edges, OnCycle on_cycle,
                 Finish finish)
{
  enum class State { fresh, active, done };
  std::vector<State> state(edges.size(), State::fresh);
  std::vector<Frame> stack;
  for (std::size_t root = 0; root < edges.size(); ++root) {
    if (state[root] != State::fresh) {
      continue;
    }
    stack.push_back({root, 0});
    state[root] = State::active;
    while (!stack.empty()) {
      Frame& frame = stack.back();
      if (frame.next_edge == edges[frame.node].size()) {
        finish(frame.node);
        state[frame.node] = State::done;
        stack.pop_back();
        continue;
      }
      const std::size_t target = edges[frame.node][frame.next_edge++];
      if (state[target] == State::fresh) {
        state[target] = State::active;
        stack.push_back({target, 0});
      } else if (state[target] == State::active) {
        on_cycle(stack, target);
      }
    }
  }
}

// Depth of inheritance of every class (0: no bases).
std::vector<std::size_t> bases_depths(const std::deque<DataClass>& classes, const Index& index)
{
  std::vector<std::vector<std::size_t>> edges(classes.size());
  for (std::size_t i = 0; i < classes.size(); ++i) {
    for (const DataClass* base : classes[i].bases) {
      edges[i].push_back(index.at(base));
    }
  }
  std::vector<std::size_t> depth(classes.size(), 0);
  depth_first(
    edges,
    [&](const std::vector<Frame>&, std::size_t target) {
      throw ClassGraphError(classes[target], "defs",
                            "data class '" + classes[target].qualified_name()
                              + "' inherits from itself");
    },
    [&](std::size_t v) {
      std::size_t d = 0;
      for (std::size_t base : edges[v]) {
        d = std::max(d, depth[base] + 1);
      }
      if (d > k_max_bases_depth) {
        throw ClassGraphError(classes[v], "defs",
                              "data class '" + classes[v].qualified_name() + "' has more than "
                                + std::to_string(k_max_bases_depth) + " levels of bases");
      }
      depth[v] = d;
    });
  return depth;
}

// Refuses a cycle of required fields whose types are data classes: an instance of any class on
// it would need another before it could exist.
void check_required_cycles(const std::deque<DataClass>& classes, const Index& index)
{
  std::vector<std::vector<std::size_t>> edges(classes.size());
  std::vector<std::vector<const Field*>> fields(classes.size());
  for (std::size_t i = 0; i < classes.size(); ++i) {
    for (const Field& field : classes[i].fields) {
      if (!field.default_value.optional() && field.type.kind == TypeKind::record) {
        edges[i].push_back(index.at(field.type.record));
        fields[i].push_back(&field);
      }
    }
  }
  depth_first(
    edges,
    [&](const std::vector<Frame>& stack, std::size_t target) {
      // The cycle runs from the target's frame to the top of the stack and back.
      auto start =
        std::find_if(stack.begin(), stack.end(), [&](const Frame& f) { return f.node == target; });
      std::string cycle;
      for (auto it = start; it != stack.end(); ++it) {
        cycle += classes[it->node].qualified_name() + "."
                 + fields[it->node][it->next_edge - 1]->name + " -> ";
      }
      const DataClass& cls = classes[target];
      throw ClassGraphError(cls, "required-cycle",
                            "data class '" + cls.qualified_name() + "' requires itself: " + cycle
                              + cls.qualified_name());
    },
    [](std::size_t) {});
}

// An upper bound of how deep a payload of each class nests (objects, lists and dicts), with
// recursion cut as sample and show cut it: each class of a recursive group (a strongly connected
// component, found with Tarjan's algorithm) counts once, plus the deepest group it leads to.
void check_nesting(const std::deque<DataClass>& classes, const Index& index)
{
  const std::size_t n = classes.size();
  std::vector<std::vector<std::size_t>> edges(n);
  std::vector<std::size_t> weight(n, 1);
  for (std::size_t i = 0; i < n; ++i) {
    for (const Field& field : classes[i].fields) {
      const DataClass* record = nullptr;
      weight[i] = std::max(weight[i], 1 + container_depth(field.type, &record));
      if (record) {
        edges[i].push_back(index.at(record));
      }
    }
  }
  constexpr std::size_t k_unvisited = static_cast<std::size_t>(-1);
  std::vector<std::size_t> order(n, k_unvisited), low(n, 0), component(n, k_unvisited);
  std::vector<std::size_t> bound; // per component
  std::vector<std::size_t> members;
  std::vector<bool> on_members(n, false);
  std::vector<Frame> stack;
  std::size_t counter = 0;
  for (std::size_t root = 0; root < n; ++root) {
    if (order[root] != k_unvisited) {
      continue;
    }
    stack.push_back({root, 0});
    order[root] = low[root] = counter++;
    members.push_back(root);
    on_members[root] = true;
    while (!stack.empty()) {
      Frame& frame = stack.back();
      const std::size_t v = frame.node;
      if (frame.next_edge < edges[v].size()) {
        const std::size_t w = edges[v][frame.next_edge++];
        if (order[w] == k_unvisited) {
          order[w] = low[w] = counter++;
          members.push_back(w);
          on_members[w] = true;
          stack.push_back({w, 0});
        } else if (on_members[w]) {
          low[v] = std::min(low[v], order[w]);
        }
        continue;
      }
      stack.pop_back();
      if (!stack.empty()) {
        low[stack.back().node] = std::min(low[stack.back().node], low[v]);
      }
      if (low[v] != order[v]) {
        continue;
      }
      // v roots a component: its members are on top of `members`. Every group it leads to is
      // already complete (Tarjan finishes components in reverse topological order).
      const std::size_t id = bound.size();
      std::size_t own = 0;
      std::size_t first = n;
      auto it = members.end();
      do {
        --it;
        component[*it] = id;
        on_members[*it] = false;
        own += weight[*it];
        first = std::min(first, *it);
      } while (*it != v);
      std::size_t below = 0;
      for (auto m = it; m != members.end(); ++m) {
        for (std::size_t w : edges[*m]) {
          if (component[w] != id) {
            below = std::max(below, bound[component[w]]);
          }
        }
      }
      members.erase(it, members.end());
      bound.push_back(own + below);
      if (own + below > k_max_nesting) {
        const DataClass& cls = classes[first];
        throw ClassGraphError(cls, "defs", "data class '" + cls.qualified_name()
                    + "' nests too deeply: its payloads could be more than "
                    + std::to_string(k_max_nesting)
                    + " levels deep (objects, lists and dicts counted)");
      }
    }
  }
}

} // namespace

void lay_out_all_fields(std::deque<DataClass>& classes)
{
  const Index index = index_of(classes);
  const std::vector<std::size_t> depth = bases_depths(classes, index);
  std::vector<std::size_t> order(classes.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  // Bases before the classes that inherit from them.
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return depth[a] < depth[b]; });
  for (std::size_t i : order) {
    DataClass& cls = classes[i];
    if (cls.bases.empty()) {
      cls.fields = cls.own_fields;
      continue;
    }
    std::unordered_set<std::string_view> own;
    for (const Field& field : cls.own_fields) {
      own.insert(field.name);
    }
    std::unordered_set<std::string_view> inherited;
    cls.fields.clear();
    for (const DataClass* base : cls.bases) {
      for (const Field& field : base->fields) {
        if (inherited.insert(field.name).second && !own.contains(field.name)) {
          cls.fields.push_back(field);
        }
      }
    }
    cls.fields.insert(cls.fields.end(), cls.own_fields.begin(), cls.own_fields.end());
  }
}

void check_class_graph(const std::deque<DataClass>& classes)
{
  const Index index = index_of(classes);
  check_required_cycles(classes, index);
  check_nesting(classes, index);
}

} // namespace oex
