#include "kafka/curl_api.hpp"

#include "kafka/dynamic_library.hpp"
#include "oex/bus/transport.hpp"

namespace oex::bus::kafka {
namespace {

CurlApi load()
{
  constexpr const char* soname = "libcurl.so.4";
  const char* context = "schema registry";
  const char* hint = "install libcurl (Debian: libcurl4)";
  void* handle = open_library(soname, context, hint);
  CurlApi api;
#define OEX_CURL_LOAD(name)                                                                     \
  api.name = reinterpret_cast<decltype(api.name)>(library_symbol(handle, soname, #name, context, hint));
  OEX_CURL_FUNCTIONS(OEX_CURL_LOAD)
#undef OEX_CURL_LOAD
  if (api.curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    throw BusError("schema registry: libcurl could not be initialized");
  }
  return api;
}

} // namespace

const CurlApi& curl()
{
  static const CurlApi api = load(); // a throw leaves it for the next call to try again
  return api;
}

} // namespace oex::bus::kafka
