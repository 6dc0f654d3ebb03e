/* Receiver "fork" for every event: starts a background process that holds the receiver's
 * stdout and stderr open and sleeps, writes its process id to $OEX_FORK_PID_FILE (when set),
 * and answers "forked" at once. oex must take the answer when the receiver ends and stop what
 * it left behind. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "oex/receiver.h"

static void fork_and_answer(oex_event* event, void* user_data)
{
  (void)user_data;
  fflush(NULL);
  pid_t child = fork();
  if (child == 0) {
    sleep(300);
    _exit(0);
  }
  const char* pid_file = getenv("OEX_FORK_PID_FILE");
  if (pid_file != NULL && child > 0) {
    FILE* out = fopen(pid_file, "w");
    if (out != NULL) {
      fprintf(out, "%ld\n", (long)child);
      fclose(out);
    }
  }
  event->respond(event, child > 0 ? "forked" : "fork failed");
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "fork", "*", fork_and_answer, NULL);
}
