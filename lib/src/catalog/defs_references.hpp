#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace oex {

using Subdomains = std::set<std::string, std::less<>>;

// Adds the document's subdomain and every subdomain its classes, bases and event data may
// refer to by a qualified name. Over-approximates ("a.b.C" adds "a" and "a.b"); ignores what is
// malformed (the loader reports it).
void add_references(const nlohmann::ordered_json& root, const std::string& subdomain,
                    Subdomains& subdomains);

// True when the document defines an event whose type is wanted, or whose upstream name is
// wanted in any case.
bool defines_event(const nlohmann::ordered_json& root, std::string_view wanted);

} // namespace oex
