/* Receiver "misbehave" for every event, misbehaving as $OEX_MISBEHAVE says: "abort", "exit"
 * (status 3), "garbage" (a response that is not UTF-8), "twice" (responds, then fails); else "fine". */
#include <stdlib.h>
#include <string.h>

#include "oex/receiver.h"

static void misbehave(oex_event* event, void* user_data)
{
  (void)user_data;
  const char* how = getenv("OEX_MISBEHAVE");
  if (how == NULL) {
    how = "";
  }
  if (strcmp(how, "abort") == 0) {
    abort();
  } else if (strcmp(how, "exit") == 0) {
    exit(3);
  } else if (strcmp(how, "garbage") == 0) {
    event->respond(event, "\xff\xfe");
  } else if (strcmp(how, "twice") == 0) {
    event->respond(event, "first");
    event->fail(event, "second answer");
  } else {
    event->respond(event, "fine");
  }
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "misbehave", "*", misbehave, NULL);
}
