#!/bin/sh
# Starts one Postroom process: the service named by SERVICE, or the CLI when
# the first argument is `postroom` (the migration Job runs `postroom migrate`).
# `exec` replaces the shell with node, so SIGTERM from the orchestrator reaches
# the service itself, which drains in-flight work and exits.
set -eu

SERVICES="ingress fetcher parser classifier ticketer sender attachment"

if [ "${1:-}" = "postroom" ]; then
  shift
  cd /app
  exec node --import tsx libs/cli/src/main.ts "$@"
fi

case " $SERVICES " in
  *" ${SERVICE:-} "*) ;;
  *)
    # Same shape and exit status (78, EX_CONFIG) as libs/config's errors.
    echo "postroom: invalid configuration: SERVICE: must be one of: $SERVICES (got '${SERVICE:-}')" >&2
    exit 78
    ;;
esac

export OTEL_SERVICE_NAME="${OTEL_SERVICE_NAME:-postroom-$SERVICE}"
cd "/app/services/$SERVICE"
# The service's own V8 flags (postroom.nodeArgs in its package.json; e.g. the
# ingress's small young generation), as the tests and benchmarks run it.
NODE_ARGS=$(node -p "(require('./package.json').postroom?.nodeArgs ?? []).join(' ')")
# shellcheck disable=SC2086 # word splitting of NODE_ARGS is intended
exec node $NODE_ARGS --import tsx src/main.ts "$@"
