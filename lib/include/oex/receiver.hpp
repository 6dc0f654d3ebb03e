// C++ layer over oex/receiver.h for plugin authors: write a receiver as a function that returns
// its response as a string and throws on error; the exception becomes the receiver's error, so
// nothing but C crosses the boundary.
//
//   std::optional<std::string> on_enrollment(const oex::plugin::Event& event)
//   {
//     return "{\"seen\": true}"; // or std::nullopt for no response, or throw for an error
//   }
//   OEX_PLUGIN_BEGIN(api, registrar)
//     oex::plugin::add(api, registrar, "on_enrollment", "*.enrollment.*", on_enrollment);
//   OEX_PLUGIN_END
#pragma once

#include <exception>
#include <optional>
#include <string>
#include <string_view>

#include "oex/receiver.h"

namespace oex::plugin {

struct Event
{
  std::string_view event_type;
  std::string_view metadata_json;
  std::string_view data_json;
  bool from_event_bus = false;
};

// A receiver: returns the response (std::nullopt for None) or throws.
using Function = std::optional<std::string> (*)(const Event& event);

namespace detail {

inline void trampoline(oex_event* event, void* user_data) noexcept
{
  const auto function = reinterpret_cast<Function>(user_data);
  try {
    const std::optional<std::string> response = function(
      Event{event->event_type, event->metadata_json, event->data_json, event->from_event_bus != 0});
    if (response) {
      event->respond(event, response->c_str());
    }
  } catch (const std::exception& e) {
    event->fail(event, e.what());
  } catch (...) {
    event->fail(event, "unknown C++ exception");
  }
}

} // namespace detail

// Registers function as receiver name for event types matching pattern; false when refused.
[[nodiscard]] inline bool add(const oex_plugin_api* api, oex_registrar* registrar, const char* name,
                              const char* pattern, Function function)
{
  return api->add_receiver(registrar, name, pattern, detail::trampoline,
                           reinterpret_cast<void*>(function))
         == 0;
}

} // namespace oex::plugin

// Defines the two entry points; the body between BEGIN and END registers the receivers and may
// use `api` and `registrar`. An exception thrown there fails the load.
#define OEX_PLUGIN_BEGIN(api, registrar)                                                           \
  extern "C" OEX_PLUGIN_EXPORT uint32_t oex_plugin_abi_version(void)                               \
  {                                                                                                \
    return OEX_RECEIVER_ABI_VERSION;                                                               \
  }                                                                                                \
  extern "C" OEX_PLUGIN_EXPORT int oex_plugin_register(const oex_plugin_api* api,                  \
                                                       oex_registrar* registrar)                   \
  {                                                                                                \
    try {
#define OEX_PLUGIN_END                                                                             \
  }                                                                                                \
  catch (...)                                                                                      \
  {                                                                                                \
    return 1;                                                                                      \
  }                                                                                                \
  return 0;                                                                                        \
  }
