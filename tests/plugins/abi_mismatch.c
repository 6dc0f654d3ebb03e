/* Broken plugin for loader tests: claims ABI version 999, so oex must refuse it before calling
 * oex_plugin_register (which would otherwise add a receiver). */
#include <stddef.h>

#include "oex/receiver.h"

static void receive(oex_event* event, void* user_data)
{
  (void)user_data;
  event->respond(event, "should not be called");
}

uint32_t oex_plugin_abi_version(void)
{
  return 999;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "abi_mismatch", "*", receive, NULL);
}
