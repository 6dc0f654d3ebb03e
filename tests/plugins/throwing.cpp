// Receiver "throw" for every event: lets a C++ exception escape through the C ABI, which a
// plugin must not do (oex/receiver.hpp catches them). oex reports it as the receiver's error,
// isolated or not, and an isolated worker goes on serving.
#include <stdexcept>

#include "oex/receiver.h"

namespace {

void throw_through(oex_event* /*event*/, void* /*user_data*/)
{
  throw std::runtime_error("thrown through the C ABI");
}

} // namespace

extern "C" OEX_PLUGIN_EXPORT uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

extern "C" OEX_PLUGIN_EXPORT int oex_plugin_register(const oex_plugin_api* api,
                                                     oex_registrar* registrar)
{
  return api->add_receiver(registrar, "throw", "*", throw_through, nullptr);
}
