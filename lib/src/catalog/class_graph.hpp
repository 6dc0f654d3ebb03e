#pragma once

#include <deque>

#include "oex/catalog/catalog.hpp"

namespace oex {

// Lays out every class's fields in attrs order (inherited first, a redefined field among the
// class's own), without recursion. Throws oex::Error for a class that inherits from itself or
// through more than k_max_bases_depth levels of bases.
void lay_out_all_fields(std::deque<DataClass>& classes);

// Throws oex::Error for a data class that requires itself (a cycle of required fields whose
// type is a data class), naming the cycle, and for one whose payloads could nest deeper than
// k_max_nesting levels. Runs in time linear in the classes and fields.
void check_class_graph(const std::deque<DataClass>& classes);

} // namespace oex
