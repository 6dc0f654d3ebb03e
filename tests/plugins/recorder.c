/* Receiver "record" for every event: appends the event as one JSON line to $OEX_RECORD_FILE
 * (default oex-received.jsonl in the working directory) and responds "recorded". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oex/receiver.h"

static void fail_on_file(oex_event* event, const char* what, const char* path, int error)
{
  char message[1024];
  snprintf(message, sizeof message, "cannot %s %s: %s", what, path, strerror(error));
  event->fail(event, message); /* the message is copied */
}

/* Writes text as a JSON string. */
static void put_json_string(FILE* out, const char* text)
{
  fputc('"', out);
  for (const unsigned char* c = (const unsigned char*)text; *c != '\0'; ++c) {
    if (*c == '"' || *c == '\\') {
      fprintf(out, "\\%c", *c);
    } else if (*c < 0x20) {
      fprintf(out, "\\u%04x", *c);
    } else {
      fputc(*c, out);
    }
  }
  fputc('"', out);
}

static void record(oex_event* event, void* user_data)
{
  (void)user_data;
  const char* path = getenv("OEX_RECORD_FILE");
  if (path == NULL || *path == '\0') {
    path = "oex-received.jsonl";
  }
  FILE* out = fopen(path, "a");
  if (out == NULL) {
    fail_on_file(event, "open", path, errno);
    return;
  }
  fputs("{\"event_type\": ", out);
  put_json_string(out, event->event_type);
  /* metadata_json and data_json are JSON already: written as they are */
  fprintf(out, ", \"metadata\": %s, \"data\": %s, \"from_event_bus\": %s}\n", event->metadata_json,
          event->data_json, event->from_event_bus ? "true" : "false");
  if (fclose(out) != 0) {
    fail_on_file(event, "write", path, errno);
    return;
  }
  event->respond(event, "recorded");
}

uint32_t oex_plugin_abi_version(void)
{
  return OEX_RECEIVER_ABI_VERSION;
}

int oex_plugin_register(const oex_plugin_api* api, oex_registrar* registrar)
{
  return api->add_receiver(registrar, "record", "*", record, NULL);
}
