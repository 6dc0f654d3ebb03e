// A port of CPython 3.11's datetime.fromisoformat (Modules/_datetimemodule.c), quirks included,
// so that oex accepts exactly the strings openedx-events' deserializer accepts.

#include "oex/keys/datetime.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace oex {
namespace {

bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}

// Reads exactly count ASCII digits; nullptr when one is not a digit. The input is NUL-padded, so
// reading one past the end is safe.
const char* parse_digits(const char* p, int* value, std::size_t count)
{
  *value = 0;
  for (std::size_t i = 0; i < count; ++i, ++p) {
    if (!is_digit(*p)) {
      return nullptr;
    }
    *value = *value * 10 + (*p - '0');
  }
  return p;
}

bool is_leap(int year)
{
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int days_in_month(int year, int month)
{
  static const int k_days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : k_days[month - 1];
}

// Days since 0001-01-01 (day 1) as Python's ymd_to_ord, and its inverse.
long days_before_year(long year)
{
  const long y = year - 1;
  return y * 365 + y / 4 - y / 100 + y / 400;
}

long ymd_to_ord(int year, int month, int day)
{
  long days = days_before_year(year);
  for (int m = 1; m < month; ++m) {
    days += days_in_month(year, m);
  }
  return days + day;
}

void ord_to_ymd(long ordinal, int* year, int* month, int* day)
{
  // Walks by 400-year cycles then years; fine for the 1..9999 range plus a little on each side.
  --ordinal;
  long n400 = ordinal / 146097;
  ordinal %= 146097;
  if (ordinal < 0) {
    ordinal += 146097;
    --n400;
  }
  long y = n400 * 400 + 1;
  while (true) {
    const long length = is_leap(static_cast<int>(y)) ? 366 : 365;
    if (ordinal < length) {
      break;
    }
    ordinal -= length;
    ++y;
  }
  *year = static_cast<int>(y);
  int m = 1;
  while (ordinal >= days_in_month(*year, m)) {
    ordinal -= days_in_month(*year, m);
    ++m;
  }
  *month = m;
  *day = static_cast<int>(ordinal) + 1;
}

// ISO year, week and weekday to a calendar date; false where CPython's iso_to_ymd fails.
bool iso_to_ymd(int iso_year, int iso_week, int iso_day, int* year, int* month, int* day)
{
  if (iso_year < 1) {
    return false;
  }
  if (iso_week <= 0 || iso_week >= 53) {
    bool out_of_range = true;
    if (iso_week == 53) {
      // Years that start on a Thursday, and leap years that start on a Wednesday, have 53 weeks.
      const int first_weekday = static_cast<int>((ymd_to_ord(iso_year, 1, 1) + 6) % 7);
      if (first_weekday == 3 || (first_weekday == 2 && is_leap(iso_year))) {
        out_of_range = false;
      }
    }
    if (out_of_range) {
      return false;
    }
  }
  if (iso_day <= 0 || iso_day >= 8) {
    return false;
  }
  // The Monday of ISO week 1 is the Monday on or before January 4th.
  const long jan4 = ymd_to_ord(iso_year, 1, 4);
  const long week1_monday = jan4 - (jan4 + 6) % 7;
  ord_to_ymd(week1_monday + (iso_week - 1) * 7 + (iso_day - 1), year, month, day);
  return true;
}

long find_separator(const char* s, long length)
{
  if (length == 7) {
    return 7;
  }
  if (s[4] == '-') {
    if (s[5] == 'W') {
      if (length < 8) {
        return -1;
      }
      if (length > 8 && s[8] == '-') {
        if (length == 9) {
          return -1;
        }
        if (length > 10 && is_digit(s[10])) {
          return 8;
        }
        return 10;
      }
      return 8;
    }
    return 10;
  }
  if (s[4] == 'W') {
    long index = 7;
    while (index < length && is_digit(s[index])) {
      ++index;
    }
    if (index < 9) {
      return index;
    }
    return index % 2 == 0 ? 7 : 8;
  }
  return 8;
}

bool parse_date(const char* s, long length, int* year, int* month, int* day)
{
  const char* p = parse_digits(s, year, 4);
  if (!p) {
    return false;
  }
  const bool uses_separator = *p == '-';
  if (uses_separator) {
    ++p;
  }
  if (*p == 'W') {
    ++p;
    int week = 0;
    int weekday = 1;
    p = parse_digits(p, &week, 2);
    if (!p) {
      return false;
    }
    if (p - s < length) {
      if (uses_separator && *(p++) != '-') {
        return false;
      }
      if (!parse_digits(p, &weekday, 1)) {
        return false;
      }
    }
    return iso_to_ymd(*year, week, weekday, year, month, day);
  }
  p = parse_digits(p, month, 2);
  if (!p) {
    return false;
  }
  if (uses_separator && *(p++) != '-') {
    return false;
  }
  return parse_digits(p, day, 2) != nullptr;
}

// Returns <0 on failure, 0 at the end of the string, 1 when something follows.
int parse_hh_mm_ss_ff(const char* p, const char* end, int* hour, int* minute, int* second,
                      int* microsecond)
{
  *hour = *minute = *second = *microsecond = 0;
  int* values[3] = {hour, minute, second};
  bool has_separator = true;
  for (std::size_t i = 0; i < 3; ++i) {
    p = parse_digits(p, values[i], 2);
    if (!p) {
      return -3;
    }
    const char c = *(p++);
    if (i == 0) {
      has_separator = c == ':';
    }
    if (p >= end) {
      return c != '\0';
    }
    if (has_separator && c == ':') {
      continue;
    }
    if (c == '.' || c == ',') {
      break;
    }
    if (!has_separator) {
      --p;
    } else {
      return -4;
    }
  }
  const std::size_t remaining = static_cast<std::size_t>(end - p);
  const std::size_t count = remaining >= 6 ? 6 : remaining;
  p = parse_digits(p, microsecond, count);
  if (!p) {
    return -3;
  }
  static const int k_correction[] = {100000, 10000, 1000, 100, 10};
  if (count >= 1 && count < 6) {
    *microsecond *= k_correction[count - 1];
  }
  while (is_digit(*p)) {
    ++p;
  }
  return *p != '\0';
}

int parse_time(const char* s, const char* end, int* hour, int* minute, int* second,
               int* microsecond, long* offset_seconds, int* offset_us)
{
  const char* tz = s;
  do {
    if (*tz == 'Z' || *tz == '+' || *tz == '-') {
      break;
    }
  } while (++tz < end);
  int rv = parse_hh_mm_ss_ff(s, tz, hour, minute, second, microsecond);
  if (rv < 0) {
    return rv;
  }
  if (tz == end) {
    return rv == 1 ? -5 : 0;
  }
  if (*tz == 'Z') {
    *offset_seconds = 0;
    *offset_us = 0;
    return *(tz + 1) != '\0' ? -5 : 1;
  }
  const int sign = *tz == '-' ? -1 : 1;
  ++tz;
  int tz_hour = 0;
  int tz_minute = 0;
  int tz_second = 0;
  rv = parse_hh_mm_ss_ff(tz, end, &tz_hour, &tz_minute, &tz_second, offset_us);
  *offset_seconds = sign * (tz_hour * 3600L + tz_minute * 60L + tz_second);
  *offset_us *= sign;
  return rv ? -5 : 1;
}

} // namespace

Result<DateTime> parse_isoformat(std::string_view text)
{
  const auto failure = [&] {
    return Result<DateTime>::failure("invalid isoformat string '" + std::string(text) + "'");
  };
  // CPython measures the 7-character minimum in code points, then works on the UTF-8 bytes.
  std::size_t code_points = 0;
  for (char c : text) {
    code_points += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  }
  if (code_points < 7) {
    return failure();
  }
  // The C code reads up to a few bytes past the end (its NUL terminator): give it 16 NULs, on the
  // stack for the usual short strings.
  char stack_buffer[96] = {};
  std::string heap_buffer;
  char* s = stack_buffer;
  if (text.size() + 16 > sizeof stack_buffer) {
    heap_buffer.assign(text.size() + 16, '\0');
    s = heap_buffer.data();
  }
  std::memcpy(s, text.data(), text.size());
  const long length = static_cast<long>(text.size());
  const long separator = find_separator(s, length);
  if (separator < 0) {
    return failure();
  }
  DateTime time;
  if (!parse_date(s, separator, &time.year, &time.month, &time.day)) {
    return failure();
  }
  if (length > separator) {
    // The separator may be any one character: skip it whole, however many UTF-8 bytes it has.
    const unsigned char lead = static_cast<unsigned char>(s[separator]);
    const long skip = lead < 0x80 ? 1 : (lead & 0xf0) == 0xe0 ? 3 : (lead & 0xf0) == 0xf0 ? 4 : 2;
    long offset_seconds = 0;
    int offset_us = 0;
    const long start = std::min(separator + skip, length);
    const int rv = parse_time(s + start, s + length, &time.hour, &time.minute, &time.second,
                              &time.microsecond, &offset_seconds, &offset_us);
    if (rv < 0) {
      return failure();
    }
    if (rv == 1) {
      // A zero offset is timezone.utc, whatever fraction of a second came with it.
      const std::int64_t offset = offset_seconds == 0 ? 0 : offset_seconds * 1'000'000L + offset_us;
      if (offset <= -86'400'000'000L || offset >= 86'400'000'000L) {
        return failure();
      }
      time.utc_offset_us = offset;
    }
  }
  if (time.year < 1 || time.year > 9999 || time.month < 1 || time.month > 12 || time.day < 1
      || time.day > days_in_month(time.year, time.month) || time.hour > 23 || time.minute > 59
      || time.second > 59) {
    return failure();
  }
  return time;
}

namespace {

// value as width digits, zero-padded, at *to (which it moves past them); false when it does not
// fit.
bool put_fixed(char*& to, int value, int width)
{
  if (value < 0 || width > 8) {
    return false;
  }
  for (int i = width - 1; i >= 0; --i) {
    to[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  to += width;
  return value == 0;
}

} // namespace

namespace {

// "YYYY-MM-DDTHH:MM:SS+00:00" or "YYYY-MM-DDTHH:MM:SS.ffffff+00:00", what isoformat() writes for
// a UTC time, with every field in range: fromisoformat takes it. False: not that shape.
bool usual_utc_isoformat(std::string_view text)
{
  const bool fraction = text.size() == 32;
  if ((text.size() != 25 && !fraction) || !text.ends_with("+00:00")) {
    return false;
  }
  // Straight-line code, no early exit: every digit place holds a digit (its value minus '0',
  // unsigned, at most 9), every separator its character.
  const auto not_digit = [&](std::size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>(text[i])) - '0' > 9;
  };
  bool bad = not_digit(0) | not_digit(1) | not_digit(2) | not_digit(3) | not_digit(5) | not_digit(6)
             | not_digit(8) | not_digit(9) | not_digit(11) | not_digit(12) | not_digit(14)
             | not_digit(15) | not_digit(17) | not_digit(18) | (text[4] != '-') | (text[7] != '-')
             | (text[10] != 'T') | (text[13] != ':') | (text[16] != ':');
  if (fraction) {
    bad |= not_digit(20) | not_digit(21) | not_digit(22) | not_digit(23) | not_digit(24)
           | not_digit(25) | (text[19] != '.');
  }
  if (bad) {
    return false;
  }
  const auto number = [&](std::size_t at, std::size_t digits) {
    int value = 0;
    for (std::size_t i = at; i < at + digits; ++i) {
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  const int year = number(0, 4);
  const int month = number(5, 2);
  const int day = number(8, 2);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month)
         && number(11, 2) <= 23 && number(14, 2) <= 59 && number(17, 2) <= 59;
}

} // namespace

bool is_isoformat(std::string_view text)
{
  return usual_utc_isoformat(text) || static_cast<bool>(parse_isoformat(text));
}

bool is_canonical_utc_isoformat(std::string_view text)
{
  // isoformat() leaves out a fraction of zero microseconds
  return usual_utc_isoformat(text) && !(text.size() == 32 && text.substr(19, 7) == ".000000");
}

std::string isoformat(const DateTime& time)
{
  std::string out;
  out.reserve(32);
  append_isoformat(out, time);
  return out;
}

void append_isoformat(std::string& out, const DateTime& time)
{
  // Made for every event sent: digits are written directly in the common case (snprintf was
  // a good part of the cost of making metadata); anything out of the usual ranges goes the
  // snprintf way, which gives the same text.
  char buffer[64];
  char* to = buffer;
  const auto put = [&](char c) { *to++ = c; };
  const bool plain = put_fixed(to, time.year, 4) && (put('-'), put_fixed(to, time.month, 2))
                     && (put('-'), put_fixed(to, time.day, 2)) && (put('T'), put_fixed(to, time.hour, 2))
                     && (put(':'), put_fixed(to, time.minute, 2))
                     && (put(':'), put_fixed(to, time.second, 2))
                     && (time.microsecond == 0 || (put('.'), put_fixed(to, time.microsecond, 6)));
  const bool utc = time.utc_offset_us && *time.utc_offset_us == 0;
  if (plain && utc) {
    std::memcpy(to, "+00:00", 6); // the usual case: one append
    out.append(buffer, static_cast<std::size_t>(to + 6 - buffer));
    return;
  }
  int n = 0;
  if (plain) {
    out.append(buffer, static_cast<std::size_t>(to - buffer));
  } else {
    n = std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", time.year,
                          time.month, time.day, time.hour, time.minute, time.second);
    out.append(buffer, static_cast<std::size_t>(n));
    if (time.microsecond != 0) {
      n = std::snprintf(buffer, sizeof buffer, ".%06d", time.microsecond);
      out.append(buffer, static_cast<std::size_t>(n));
    }
  }
  if (utc) {
    out += "+00:00";
  } else if (time.utc_offset_us) {
    std::int64_t offset = *time.utc_offset_us;
    const char sign = offset < 0 ? '-' : '+';
    offset = offset < 0 ? -offset : offset;
    const std::int64_t seconds = offset / 1'000'000;
    const std::int64_t micro = offset % 1'000'000;
    n = std::snprintf(buffer, sizeof buffer, "%c%02lld:%02lld", sign,
                      static_cast<long long>(seconds / 3600),
                      static_cast<long long>(seconds / 60 % 60));
    out.append(buffer, static_cast<std::size_t>(n));
    if (seconds % 60 != 0 || micro != 0) {
      n = std::snprintf(buffer, sizeof buffer, ":%02lld", static_cast<long long>(seconds % 60));
      out.append(buffer, static_cast<std::size_t>(n));
      if (micro != 0) {
        n = std::snprintf(buffer, sizeof buffer, ".%06lld", static_cast<long long>(micro));
        out.append(buffer, static_cast<std::size_t>(n));
      }
    }
  }
}

DateTime utc_now()
{
  return utc_at(std::chrono::system_clock::now());
}

DateTime utc_at(std::chrono::system_clock::time_point when)
{
  using namespace std::chrono;
  const auto now = floor<microseconds>(when);
  const auto days = floor<std::chrono::days>(now);
  const year_month_day date{days};
  const auto since_midnight = now - days;
  const auto total_us = since_midnight.count();
  DateTime time;
  time.year = static_cast<int>(date.year());
  time.month = static_cast<int>(static_cast<unsigned>(date.month()));
  time.day = static_cast<int>(static_cast<unsigned>(date.day()));
  time.hour = static_cast<int>(total_us / 3'600'000'000LL);
  time.minute = static_cast<int>(total_us / 60'000'000LL % 60);
  time.second = static_cast<int>(total_us / 1'000'000LL % 60);
  time.microsecond = static_cast<int>(total_us % 1'000'000LL);
  time.utc_offset_us = 0;
  return time;
}

} // namespace oex
