#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace oex::cli {

// The values a numeric option takes: integers from min to max (max may be past INT64_MAX, for
// unsigned options), or decimal numbers from min_real to max_real.
struct NumberRange
{
  bool integer = true;
  std::int64_t min = 0;
  std::uint64_t max = 0;
  double min_real = 0;
  double max_real = 0;

  // "an integer from 1 to 10000000", "a number from 0.001 to 86400".
  std::string describe() const;
  // nullopt when text is in range, else the message ("'-1' is not an integer from 0 to ...").
  std::optional<std::string> check(std::string_view text) const;
};

NumberRange integer_range(std::int64_t min, std::uint64_t max);
NumberRange real_range(double min, double max);

// Makes `option` refuse, before CLI11 converts it, any value that is not a number in `range`:
// the error is "OPTION: 'VALUE' is not an integer from MIN to MAX" (exit 2 from main). Every
// numeric option of every command goes through here, so that nothing is clamped or wrapped.
CLI::Option* number_range(CLI::Option* option, const NumberRange& range);

// The range given to number_range for this option, or nullopt when it has none.
std::optional<NumberRange> number_range_of(const CLI::Option& option);

} // namespace oex::cli
