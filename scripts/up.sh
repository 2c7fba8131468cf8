#!/usr/bin/env bash
# Runs the whole pipeline locally from a fresh checkout: installs what it
# needs (npm packages, Dovecot for the demo mailbox), starts NATS and
# PostgreSQL if they are down, then `npm start`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-peers.sh
[ -d node_modules/@postroom ] || npm install --no-audit --no-fund
exec npm start
