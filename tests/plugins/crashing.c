/* Receiver "segfault" for every event: dereferences a null pointer, to test that oex survives
 * a receiver that crashes. */
#include <stddef.h>

#include "oex/receiver.h"

static void segfault(oex_event* event, void* user_data)
{
  (void)event;
  (void)user_data;
  /* both volatile: the compiler can neither see that the pointer is null nor drop the store */
  volatile int* volatile nowhere = NULL;
  *nowhere = 1;
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "segfault", "*", segfault, NULL);
}
