#!/usr/bin/env bash
# Runs PhantomChain on this machine: the gateway and every function built into bin/,
# against the local PostgreSQL and NATS, with blobs in ./data/blobs (a folder that
# the gateway and the functions share). Ctrl-C stops everything.
#
# Override any setting through the environment (see the README's configuration
# table), e.g. DATABASE_URL=… NATS_URL=… GATEWAY_ADDR=:8081 make run.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/phantom?sslmode=disable}
export NATS_URL=${NATS_URL:-nats://127.0.0.1:4222}
export BLOB_DRIVER=${BLOB_DRIVER:-file}
export BLOB_DIR=${BLOB_DIR:-$PWD/data/blobs}
export LOG_FORMAT=${LOG_FORMAT:-console}
mkdir -p "$BLOB_DIR"
# The static decoder build, when built (make ffmpeg-decoder), makes short decodes
# ~5x faster and saves ~0.15 s on every probe.
if [ -z "${FFMPEG_DECODER_PATH:-}" ] && [ -x bin/ffmpeg-decoder ]; then
  export FFMPEG_DECODER_PATH=$PWD/bin/ffmpeg-decoder
fi
if [ -z "${FFPROBE_PATH:-}" ] && [ -x bin/ffprobe-decoder ]; then
  export FFPROBE_PATH=$PWD/bin/ffprobe-decoder
fi

# Create the database on first use (the gateway migrates it at start-up).
db=$(sed -E 's#^.*/([^/?]+)(\?.*)?$#\1#' <<<"$DATABASE_URL")
admin=$(sed -E "s#/${db}(\?|$)#/postgres\1#" <<<"$DATABASE_URL")
if command -v psql >/dev/null && ! psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
  psql "$admin" -qc "CREATE DATABASE \"$db\""
fi

pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
port=9101
for bin in bin/*; do
  name=$(basename "$bin")
  [ "$name" = gateway ] && continue
  [ -x "$bin" ] || continue
  case "$name" in *-bench|*-eval|ffmpeg-*) continue ;; esac
  METRICS_ADDR=127.0.0.1:$port "$bin" &
  pids+=($!)
  port=$((port + 1))
done
bin/gateway &
pids+=($!)
echo "PhantomChain: API on http://127.0.0.1${GATEWAY_ADDR:-:8080} (Ctrl-C to stop)" >&2
wait -n "${pids[@]}"
