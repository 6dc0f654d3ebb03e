#include "oex/keys/uuid.hpp"

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <ctime>
#include <mutex>

#include <pthread.h>
#include <sys/random.h>
#include <uuid/uuid.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "oex/util/error.hpp"

#include "keys/unicode_classes.hpp"

namespace oex {
namespace {

// Python's str.replace(from, ""): one pass, left to right, so "urnurn::" leaves "urn:".
std::string remove_all(std::string_view text, std::string_view from)
{
  std::string out;
  for (std::size_t start = 0;;) {
    const std::size_t at = text.find(from, start);
    out.append(
      text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) {
      return out;
    }
    start = at + from.size();
  }
}

bool is_hex_digit(char32_t c)
{
  return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}

// The hex digits of text as int(text, 16) reads it, or nullopt when int() refuses it. A text
// with non-ASCII characters is first made ASCII as CPython does: Unicode whitespace becomes ' ',
// Unicode decimal digits their ASCII digit, anything else fails. The grammar is then
// WS* [+-] [0x [_]] H ([_] H)* WS*, with WS the ASCII whitespace of C's isspace().
std::optional<std::string> python_hex_digits(std::u32string text)
{
  for (char32_t& c : text) {
    if (c < 0x80) {
      continue;
    }
    if (unicode::is_space(c)) {
      c = U' ';
    } else if (const int digit = unicode::decimal_value(c); digit >= 0) {
      c = U'0' + static_cast<char32_t>(digit);
    } else {
      return std::nullopt;
    }
  }
  const auto is_ws = [](char32_t c) {
    return c == U' ' || (c >= U'\t' && c <= U'\r');
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n && is_ws(text[i])) {
    ++i;
  }
  if (i < n && (text[i] == U'+' || text[i] == U'-')) {
    ++i;
  }
  if (i + 1 < n && text[i] == U'0' && (text[i + 1] == U'x' || text[i + 1] == U'X')) {
    i += 2;
    if (i < n && text[i] == U'_') {
      ++i;
    }
  }
  std::string digits;
  bool after_underscore = i < n && text[i] == U'_'; // an underscore must follow a digit
  if (after_underscore) {
    return std::nullopt;
  }
  for (; i < n && (is_hex_digit(text[i]) || text[i] == U'_'); ++i) {
    if (text[i] == U'_') {
      if (after_underscore) {
        return std::nullopt;
      }
      after_underscore = true;
    } else {
      digits += static_cast<char>(text[i] | 0x20); // lowercase
      after_underscore = false;
    }
  }
  while (i < n && is_ws(text[i])) {
    ++i;
  }
  if (after_underscore || digits.empty() || i != n) {
    return std::nullopt;
  }
  return digits;
}


// uuid1() is made in-process, as CPython's uuid1() does when it has no libuuid: libuuid's
// uuid_generate_time() asks the uuidd socket on every call when no daemon runs (a connect() per
// id, ~20 us) and keeps its clock state in a locked file.
//
// Uniqueness across processes: each process draws its own node (48 random bits with the
// multicast bit set, RFC 4122 4.5, so that it never equals a real MAC) and clock sequence (14
// random bits) from getrandom() the first time it needs one, and again in the child after a
// fork. Within a process the 60-bit timestamp strictly increases (a tick already used moves on by
// one, as CPython does), so a process never repeats an id; two processes repeat one only if they
// drew the same 62 random bits and reached the same timestamp (odds below 2^-62 per pair of ids).
struct Uuid1Node
{
  unsigned char node[6];
  std::uint16_t clock_seq; // 14 bits
};

// 100 ns intervals between 1582-10-15 (the Gregorian reform) and 1970-01-01.
constexpr std::uint64_t k_gregorian_offset = 0x01b21dd213814000;

std::atomic<std::uint64_t> g_last_timestamp{0};
std::atomic<bool> g_node_ready{false};
std::mutex g_node_mutex;
Uuid1Node g_node;

void random_bytes(void* out, std::size_t size)
{
  auto* bytes = static_cast<unsigned char*>(out);
  while (size > 0) {
    const ssize_t got = getrandom(bytes, size, 0);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error("cannot make an event id: getrandom() failed");
    }
    bytes += got;
    size -= static_cast<std::size_t>(got);
  }
}

void forget_node_in_child()
{
  g_node_ready.store(false, std::memory_order_relaxed);
  g_last_timestamp.store(0, std::memory_order_relaxed);
}

const Uuid1Node& process_node()
{
  if (!g_node_ready.load(std::memory_order_acquire)) {
    const std::lock_guard lock(g_node_mutex);
    if (!g_node_ready.load(std::memory_order_relaxed)) {
      static const int registered = pthread_atfork(nullptr, nullptr, forget_node_in_child);
      (void)registered;
      unsigned char bytes[8];
      random_bytes(bytes, sizeof bytes);
      for (int i = 0; i < 6; ++i) {
        g_node.node[i] = bytes[i];
      }
      g_node.node[0] |= 0x01; // multicast: not a MAC address
      g_node.clock_seq = static_cast<std::uint16_t>(((bytes[6] << 8) | bytes[7]) & 0x3fff);
      g_node_ready.store(true, std::memory_order_release);
    }
  }
  return g_node;
}

std::uint64_t next_timestamp(std::chrono::system_clock::time_point now)
{
  const auto ticks = std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count() / 100;
  const std::uint64_t clock = static_cast<std::uint64_t>(ticks) + k_gregorian_offset;
  std::uint64_t last = g_last_timestamp.load(std::memory_order_relaxed);
  std::uint64_t next = 0;
  do {
    next = clock > last ? clock : last + 1;
  } while (!g_last_timestamp.compare_exchange_weak(last, next, std::memory_order_relaxed));
  return next;
}

} // namespace

std::string uuid1()
{
  return uuid1(std::chrono::system_clock::now());
}

std::string uuid1(std::chrono::system_clock::time_point now)
{
  std::string out;
  append_uuid1(out, now);
  return out;
}

void append_uuid1(std::string& out, std::chrono::system_clock::time_point now)
{
  const std::uint64_t timestamp = next_timestamp(now);
  const Uuid1Node& node = process_node();
  uuid_t id;
  const std::uint32_t time_low = static_cast<std::uint32_t>(timestamp);
  const std::uint16_t time_mid = static_cast<std::uint16_t>(timestamp >> 32);
  const std::uint16_t time_hi = static_cast<std::uint16_t>((timestamp >> 48) & 0x0fff) | 0x1000;
  const std::uint16_t clock_seq = static_cast<std::uint16_t>(node.clock_seq | 0x8000);
  for (int i = 0; i < 4; ++i) {
    id[i] = static_cast<unsigned char>(time_low >> (24 - 8 * i));
  }
  id[4] = static_cast<unsigned char>(time_mid >> 8);
  id[5] = static_cast<unsigned char>(time_mid);
  id[6] = static_cast<unsigned char>(time_hi >> 8);
  id[7] = static_cast<unsigned char>(time_hi);
  id[8] = static_cast<unsigned char>(clock_seq >> 8);
  id[9] = static_cast<unsigned char>(clock_seq);
  for (int i = 0; i < 6; ++i) {
    id[10 + i] = node.node[i];
  }
  char text[37];
  uuid_unparse_lower(id, text);
  out.append(text, 36);
}

namespace {

// The usual form, read without the general steps below (it is checked for every UUID field of
// every payload checked): the same result, lowercased.
std::optional<std::string> canonical_hyphenated(std::string_view text)
{
  if (!is_hyphenated_uuid(text)) {
    return std::nullopt;
  }
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'F') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

[[maybe_unused]] constexpr std::array<bool, 256> k_hex_digit = [] {
  std::array<bool, 256> hex{};
  for (const char* c = "0123456789abcdefABCDEF"; *c != '\0'; ++c) {
    hex[static_cast<unsigned char>(*c)] = true;
  }
  return hex;
}();

} // namespace

bool is_hyphenated_uuid(std::string_view text)
{
  if (text.size() != 36) {
    return false;
  }
  constexpr std::uint64_t k_hyphens =
    (std::uint64_t{1} << 8) | (std::uint64_t{1} << 13) | (std::uint64_t{1} << 18) | (std::uint64_t{1} << 23);
  constexpr std::uint64_t k_all = (std::uint64_t{1} << 36) - 1;
#if defined(__SSE2__)
  // A bit per byte, for 16 bytes at a time: hex digits, and hyphens (signed compares: bytes
  // from 0x80 up are negative, and so neither).
  const auto masks = [](const char* at, std::uint64_t* hex, std::uint64_t* hyphen) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    const __m128i lower = _mm_or_si128(x, _mm_set1_epi8(0x20)); // 'A'-'F' to 'a'-'f'
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(lower, _mm_set1_epi8('f' + 1)));
    *hex = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(digit, letter)));
    *hyphen = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('-'))));
  };
  std::uint64_t hex[3];
  std::uint64_t hyphen[3];
  masks(text.data(), &hex[0], &hyphen[0]);
  masks(text.data() + 16, &hex[1], &hyphen[1]);
  masks(text.data() + 20, &hex[2], &hyphen[2]); // bytes 20 to 35: its bits 12 to 15 are 32 to 35
  const std::uint64_t all_hex = hex[0] | (hex[1] << 16) | ((hex[2] >> 12) << 32);
  const std::uint64_t all_hyphens = hyphen[0] | (hyphen[1] << 16) | ((hyphen[2] >> 12) << 32);
  return all_hyphens == k_hyphens && all_hex == (k_all & ~k_hyphens);
#else
  std::uint64_t all_hex = 0;
  std::uint64_t all_hyphens = 0;
  for (std::size_t i = 0; i < 36; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    all_hex |= std::uint64_t{k_hex_digit[c]} << i;
    all_hyphens |= std::uint64_t{c == '-'} << i;
  }
  return all_hyphens == k_hyphens && all_hex == (k_all & ~k_hyphens);
#endif
}

std::optional<std::string> canonical_uuid(std::string_view text)
{
  if (auto usual = canonical_hyphenated(text)) {
    return usual;
  }
  // Python 3.11's UUID.__init__: drop every "urn:", then every "uuid:", strip '{' and '}' from
  // both ends, drop every '-', and read the 32 code points left with int(hex, 16). These steps
  // only touch ASCII, so they can run on the UTF-8 bytes.
  std::string s = remove_all(remove_all(text, "urn:"), "uuid:");
  const std::size_t first = s.find_first_not_of("{}");
  s = first == std::string::npos ? std::string()
                                 : s.substr(first, s.find_last_not_of("{}") - first + 1);
  std::erase(s, '-');
  const std::optional<std::u32string> code_points = unicode::decode_utf8(s);
  if (!code_points || code_points->size() != 32) {
    return std::nullopt;
  }
  // '-' is gone, so the value is never negative, and 32 characters hold at most 32 hex digits.
  const std::optional<std::string> digits = python_hex_digits(*code_points);
  if (!digits) {
    return std::nullopt;
  }
  const std::string hex = std::string(32 - digits->size(), '0') + *digits;
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-"
         + hex.substr(16, 4) + "-" + hex.substr(20);
}

} // namespace oex
