#!/bin/sh
# The CTest fixture "redis": `redis_fixture.sh start DIR` starts a redis-server on a free port of
# 127.0.0.1 with everything it writes in DIR (made afresh; nothing saved) and writes the port to
# DIR/port; `redis_fixture.sh stop DIR` stops it and removes DIR.
set -eu
action=$1
dir=$2
case $action in
start)
  if [ -f "$dir/redis.pid" ]; then
    kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  # A free port: the kernel picks one, and it is released before redis-server binds it.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no \
    --unixsocket "$dir/redis.sock" --unixsocketperm 700 \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  i=0
  until redis-cli -p "$port" ping >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 500 ]; then
      echo "redis-server did not start:" >&2
      cat "$dir/redis.log" >&2
      exit 1
    fi
    sleep 0.02
  done
  echo "$port" >"$dir/port"
  ;;
stop)
  if [ -f "$dir/redis.pid" ]; then
    pid=$(cat "$dir/redis.pid")
    kill "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 500 ]; do
      i=$((i + 1))
      sleep 0.02
    done
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac
