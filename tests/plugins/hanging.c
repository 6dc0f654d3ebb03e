/* Receiver "hang" for every event: never returns, to test oex's receiver timeout. */
#define _POSIX_C_SOURCE 200809L /* sleep() under -std=c11 */
#include <unistd.h>

#include "oex/receiver.h"

static void hang(oex_event* event, void* user_data)
{
  (void)event;
  (void)user_data;
  for (;;) {
    sleep(1);
  }
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "hang", "*", hang, NULL);
}
