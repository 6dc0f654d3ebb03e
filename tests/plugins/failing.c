/* Receiver "always_fails" for every event: answers with an error, as a Python receiver that
 * raises would. */
#include <stddef.h>

#include "oex/receiver.h"

static void always_fail(oex_event* event, void* user_data)
{
  (void)user_data;
  event->fail(event, "ValueError: this receiver always fails");
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "always_fails", "*", always_fail, NULL);
}
