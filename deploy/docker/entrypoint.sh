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
exec node --import tsx src/main.ts "$@"
