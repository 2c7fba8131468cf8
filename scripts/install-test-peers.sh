#!/usr/bin/env bash
# Installs the Debian packages Postroom's tests and local demo need and starts
# the shared servers this machine kind runs (NATS with JetStream, PostgreSQL)
# when they are down. Idempotent; needs root for apt-get.
set -euo pipefail

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Dovecot (IMAP) and rspamd (the optional spam engine, libs/testing/src/rspamd.ts)
# run as unprivileged loopback processes started by the tests themselves.
missing=()
if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then missing+=(dovecot-imapd); fi
if ! command -v rspamd >/dev/null 2>&1 && [ ! -x /usr/bin/rspamd ]; then missing+=(rspamd); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "install-test-peers: installing ${missing[*]}"
  apt-get update -qq
  # policy-rc.d stops the packages from starting system-wide daemons (Dovecot
  # on port 143, rspamd on 11332-11334): the tests run their own instances.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || { rm -f /usr/sbin/policy-rc.d; exit 1; }
  rm -f /usr/sbin/policy-rc.d
fi

if ! listening 4222; then
  echo "install-test-peers: starting NATS with JetStream on 127.0.0.1:4222"
  if ! command -v nats-server >/dev/null 2>&1 && [ ! -x /usr/sbin/nats-server ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nats-server >/dev/null
  fi
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
fi

if ! listening 5432; then
  echo "install-test-peers: starting PostgreSQL on 127.0.0.1:5432"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
fi

for port in 4222 5432; do
  for _ in $(seq 1 50); do listening "$port" && break; sleep 0.2; done
  listening "$port" || { echo "install-test-peers: nothing listens on 127.0.0.1:$port" >&2; exit 1; }
done
