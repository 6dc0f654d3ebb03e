#include "number_options.hpp"

#include <charconv>
#include <cmath>
#include <map>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

namespace oex::cli {
namespace {

// Options are built once per process, so a map from the option to its range is enough for
// `oex completion` and the tests to find every numeric option.
std::map<const CLI::Option*, NumberRange>& ranges()
{
  static std::map<const CLI::Option*, NumberRange> k_ranges;
  return k_ranges;
}

// The integer `text` spells ('-' and decimal digits only: CLI11 would read "010" as octal and
// "0x10" as hex), as its canonical decimal form, or nullopt when it is not in range.
std::optional<std::string> checked_integer(std::string_view text, const NumberRange& range)
{
  const bool negative = text.starts_with('-');
  const std::string_view digits = negative ? text.substr(1) : text;
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  if (negative) {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < range.min) {
      return std::nullopt;
    }
    return std::to_string(value);
  }
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size() || value > range.max
      || (range.min > 0 && value < static_cast<std::uint64_t>(range.min))) {
    return std::nullopt;
  }
  return std::to_string(value);
}

bool real_in_range(std::string_view text, const NumberRange& range)
{
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size()
         && std::isfinite(value) && value >= range.min_real && value <= range.max_real;
}

} // namespace

std::string NumberRange::describe() const
{
  if (integer) {
    return fmt::format("an integer from {} to {}", min, max);
  }
  return fmt::format("a number from {} to {}", min_real, max_real);
}

std::optional<std::string> NumberRange::check(std::string_view text) const
{
  const bool ok = integer ? checked_integer(text, *this).has_value() : real_in_range(text, *this);
  if (ok) {
    return std::nullopt;
  }
  return fmt::format("'{}' is not {}", text, describe());
}

NumberRange integer_range(std::int64_t min, std::uint64_t max)
{
  NumberRange range;
  range.min = min;
  range.max = max;
  return range;
}

NumberRange real_range(double min, double max)
{
  NumberRange range;
  range.integer = false;
  range.min_real = min;
  range.max_real = max;
  return range;
}

CLI::Option* number_range(CLI::Option* option, const NumberRange& range)
{
  ranges()[option] = range;
  // transform, not check: CLI11 gives a check() a copy of the value to look at, and the value
  // it converts must be our decimal one.
  option->transform(CLI::Validator(
    [range](std::string& value) -> std::string {
      if (auto message = range.check(value)) {
        return *message;
      }
      if (range.integer) {
        value = *checked_integer(value, range); // decimal, whatever CLI11 would make of it
      }
      return {};
    },
    "", "oex-number"));
  return option;
}

std::optional<NumberRange> number_range_of(const CLI::Option& option)
{
  auto it = ranges().find(&option);
  if (it == ranges().end()) {
    return std::nullopt;
  }
  return it->second;
}

} // namespace oex::cli
