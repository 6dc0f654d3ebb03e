/* Broken plugin for loader tests: adds a receiver with an empty name, which oex refuses (-1),
 * and returns that result, so the load fails. */
#include <stddef.h>

#include "oex/receiver.h"

static void receive(oex_event* event, void* user_data)
{
  (void)user_data;
  event->respond(event, "should not be called");
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "", "*", receive, NULL);
}
