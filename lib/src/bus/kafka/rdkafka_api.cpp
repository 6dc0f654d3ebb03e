#include "kafka/rdkafka_api.hpp"

#include "kafka/dynamic_library.hpp"

namespace oex::bus::kafka {
namespace {

RdKafkaApi load()
{
  constexpr const char* soname = "librdkafka.so.1";
  const char* context = "kafka";
  const char* hint = "install librdkafka 2.0 or later (Debian: librdkafka1)";
  void* handle = open_library(soname, context, hint);
  RdKafkaApi api;
#define OEX_RDKAFKA_LOAD(name)                                                                  \
  api.name = reinterpret_cast<decltype(api.name)>(library_symbol(handle, soname, #name, context, hint));
  OEX_RDKAFKA_FUNCTIONS(OEX_RDKAFKA_LOAD)
#undef OEX_RDKAFKA_LOAD
  return api;
}

} // namespace

const RdKafkaApi& rdkafka()
{
  static const RdKafkaApi api = load(); // a throw leaves it for the next call to try again
  return api;
}

} // namespace oex::bus::kafka
