#!/usr/bin/env python3
"""Django's Signal.send_robust with one no-op receiver: calls per second (the baseline of
bench_dispatch). Needs Debian's python3-django; prints one JSON object."""
import json
import time

from django.dispatch import Signal

signal = Signal()


def noop(sender, **kwargs):  # the receiver does nothing, as in bench_dispatch
    return None


signal.connect(noop, weak=False)
enrollment = {"user": {"id": 1}, "mode": "audit"}

sent = 0
start = time.perf_counter()
while True:
    for _ in range(1000):
        responses = signal.send_robust(sender=None, enrollment=enrollment, metadata=None,
                                       from_event_bus=False)
        assert len(responses) == 1
    sent += 1000
    elapsed = time.perf_counter() - start
    if elapsed >= 3.0:
        break
print(json.dumps({"django_send_robust": sent / elapsed}))
