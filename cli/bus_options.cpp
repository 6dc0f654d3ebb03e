#include "bus_options.hpp"

#include <charconv>
#include <cstdlib>

#include <CLI/CLI.hpp>

#include "number_options.hpp"
#include "oex/util/error.hpp"

namespace oex::cli {
namespace {

constexpr std::uint64_t k_max_max_len = std::uint64_t{1} << 62;

} // namespace

void BusOptions::add_to(CLI::App& sub, bool with_max_len)
{
  sub
    .add_option("--bus", url,
                "Redis URL: redis://[user:password@]host[:port][/db] or unix:///path.sock "
                "(default: EVENT_BUS_REDIS_CONNECTION_URL, else redis://127.0.0.1:6379)")
    ->type_name("URL");
  sub
    .add_option("--prefix", prefix,
                "Topic prefix: the stream is PREFIX-TOPIC (default: EVENT_BUS_TOPIC_PREFIX, "
                "else none)")
    ->type_name("P");
  if (with_max_len) {
    number_range(sub
                   .add_option("--maxlen", max_len,
                               "Keep about N entries in the stream, XADD MAXLEN ~ N (default: "
                               "EVENT_BUS_REDIS_STREAM_MAX_LEN, else 10000)")
                   ->type_name("N"),
                 integer_range(1, k_max_max_len));
  }
}

bus::BusSettings BusOptions::settings() const
{
  bus::BusSettings settings;
  const char* env_url = std::getenv("EVENT_BUS_REDIS_CONNECTION_URL");
  settings.url = url ? *url : env_url && *env_url ? env_url : k_default_url;
  const char* env_prefix = std::getenv("EVENT_BUS_TOPIC_PREFIX");
  settings.prefix = prefix ? *prefix : env_prefix ? env_prefix : "";
  if (max_len) {
    settings.max_len = *max_len;
  } else if (const char* env = std::getenv("EVENT_BUS_REDIS_STREAM_MAX_LEN"); env && *env) {
    const std::string_view text(env);
    std::uint64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > k_max_max_len) {
      throw Error("EVENT_BUS_REDIS_STREAM_MAX_LEN: '" + std::string(text)
                  + "' is not an integer from 1 to " + std::to_string(k_max_max_len));
    }
    settings.max_len = value;
  }
  return settings;
}

} // namespace oex::cli
