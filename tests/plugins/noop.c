/* Receiver "noop" for every event: does nothing (a response of null), to measure oex's own cost
 * in benchmarks. */
#include <stddef.h>

#include "oex/receiver.h"

static void noop(oex_event* event, void* user_data)
{
  (void)event;
  (void)user_data;
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "noop", "*", noop, NULL);
}
