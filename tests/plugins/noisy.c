/* Receiver "noisy" for every event: prints to stdout and stderr (terminal escape sequences
 * included, and a line left in stdio's buffer) and answers with an escape sequence, to test
 * that what a plugin prints is captured as its output and never reaches oex's own output raw.
 * It prints while it registers, too. Two settings, for the tests of send --jsonl:
 *   $OEX_NOISY_ONLY   print only for an event whose data holds this text (others: no output,
 *                     the response "quiet")
 *   $OEX_NOISY_BYTES  also write that many bytes ('n') to fd 1 in one write(2), between the
 *                     lines and the one left in the buffer
 *   $OEX_NOISY_OWN_STREAM  also leave a line in the buffer of a stdio stream of its own on fd 1
 *                     (fdopen(1), opened at the first such call and kept), never flushed by it */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "oex/receiver.h"

static void write_bytes(size_t size)
{
  char* bytes = malloc(size);
  if (bytes == NULL) {
    return;
  }
  memset(bytes, 'n', size);
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(1, bytes + done, size - done);
    if (n <= 0) {
      break;
    }
    done += (size_t)n;
  }
  free(bytes);
}

static void noisy(oex_event* event, void* user_data)
{
  (void)user_data;
  const char* only = getenv("OEX_NOISY_ONLY");
  if (only != NULL && strstr(event->data_json, only) == NULL) {
    event->respond(event, "quiet");
    return;
  }
  printf("to stdout \x1b[31mred\x1b[0m\n");
  fflush(stdout);
  fprintf(stderr, "to stderr\n");
  const char* bytes = getenv("OEX_NOISY_BYTES");
  if (bytes != NULL) {
    write_bytes((size_t)strtoull(bytes, NULL, 10));
  }
  if (getenv("OEX_NOISY_OWN_STREAM") != NULL) {
    static FILE* own = NULL;
    if (own == NULL) {
      own = fdopen(1, "w");
    }
    if (own != NULL) {
      fputs("in a stream of its own\n", own); /* a pipe's stream is fully buffered: kept */
    }
  }
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
