/* Receiver "crash_second": answers nothing to the first event its process receives and crashes
 * (SIGSEGV) on the second, to test that send --jsonl --no-isolate keeps the report of the events
 * sent before a crash. */
#include <stddef.h>

#include "oex/receiver.h"

static int received = 0;

static void crash_second(oex_event* event, void* user_data)
{
  (void)event;
  (void)user_data;
  if (++received == 2) {
    volatile int* volatile nowhere = NULL;
    *nowhere = 1;
  }
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "crash_second", "*", crash_second, NULL);
}
