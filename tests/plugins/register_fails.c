/* Broken plugin for loader tests: oex_plugin_register fails (returns 1) without adding anything. */
#include "oex/receiver.h"

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  (void)api;
  (void)registrar;
  return 1;
}
