/* Receiver "flood" for every event: answers or prints $OEX_FLOOD_BYTES bytes (default 64 MiB),
 * as $OEX_FLOOD says: "response" (one response of that size), "output" (writes that much to
 * stdout, 64 KiB at a time) or "error" (an error message of that size). For the tests that bound
 * what oex keeps of a receiver's answer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oex/receiver.h"

static void flood(oex_event* event, void* user_data)
{
  (void)user_data;
  const char* how = getenv("OEX_FLOOD");
  const char* bytes = getenv("OEX_FLOOD_BYTES");
  size_t size = bytes ? (size_t)strtoull(bytes, NULL, 10) : (size_t)64 << 20;
  if (how && strcmp(how, "output") == 0) {
    static char chunk[65536];
    memset(chunk, 'o', sizeof chunk);
    while (size > 0) {
      size_t n = size < sizeof chunk ? size : sizeof chunk;
      fwrite(chunk, 1, n, stdout);
      size -= n;
    }
    event->respond(event, "done");
    return;
  }
  char* text = malloc(size + 1);
  if (text == NULL) {
    event->fail(event, "out of memory in the fixture");
    return;
  }
  memset(text, 'x', size);
  text[size] = '\0';
  if (how && strcmp(how, "error") == 0) {
    event->fail(event, text);
  } else {
    event->respond(event, text);
  }
  free(text);
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "flood", "*", flood, NULL);
}
