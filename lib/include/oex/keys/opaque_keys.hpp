#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "oex/catalog/types.hpp"

namespace oex {

// True when upstream's <Key>.from_string(text) accepts text, for the key class kind names
// (openedx opaque-keys 4.x with ccx-keys installed, Python 3.11's Unicode classes). text is
// UTF-8; text that is not valid UTF-8 is refused.
bool is_valid_key(KeyKind kind, std::string_view text);

// upstream's str(<Key>.from_string(text)): the key as openedx-events writes it on the event bus
// ("slashes:edX+DemoX+2014" becomes "course-v1:edX+DemoX+2014"); nullopt when is_valid_key
// refuses text.
std::optional<std::string> canonical_key(KeyKind kind, std::string_view text);

// True when text is a valid key already in its canonical spelling, so that canonical_key(kind,
// text) would give text back, seen without building it: the usual ASCII spellings of key_form()
// ("course-v1:ORG+COURSE+RUN", ...). False means "not known": ask canonical_key.
bool is_usual_canonical_key(KeyKind kind, std::string_view text);

// The usual form of a key of this kind, for messages: "course-v1:ORG+COURSE+RUN".
std::string_view key_form(KeyKind kind);

// An anchored regular expression for a JSON Schema "pattern", valid for Python's re and for
// ECMAScript (with or without the u flag). On ASCII text it agrees with is_valid_key, except
// that an aside key wrapped in another aside key is only checked loosely (see the .cpp).
std::string key_pattern(KeyKind kind);

} // namespace oex
