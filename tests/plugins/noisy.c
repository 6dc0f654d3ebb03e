/* Receiver "noisy" for every event: prints to stdout and stderr (terminal escape sequences
 * included, and a line left in stdio's buffer) and answers with an escape sequence, to test
 * that what a plugin prints is captured as its output and never reaches oex's own output raw.
 * It prints while it registers, too. */
#include <stdio.h>

#include "oex/receiver.h"

static void noisy(oex_event* event, void* user_data)
{
  (void)user_data;
  printf("to stdout \x1b[31mred\x1b[0m\n");
  fflush(stdout);
  fprintf(stderr, "to stderr\n");
  printf("left in the buffer"); /* no newline, no flush: oex must still see it */
  event->respond(event, "\x1b]0;title\x07"
                        "answer");
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  printf("registering noisy\n");
  return api->add_receiver(registrar, "noisy", "*", noisy, NULL);
}
