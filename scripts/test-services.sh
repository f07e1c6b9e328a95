#!/usr/bin/env bash
# Make sure what the tests talk to is installed and running: Redis, PostgreSQL, Chromium
# (for browser tests) and Postfix's smtp-sink (for throughput benchmarks). Debian packages only;
# nothing is downloaded outside the package registries. Idempotent and quiet when all is there.
set -euo pipefail

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
apt_updated=0
need() {  # need PACKAGE: install a Debian package once
  if [ $apt_updated -eq 0 ]; then $SUDO apt-get update -qq; apt_updated=1; fi
  echo "installing $1 (Debian package)..."
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$1" >/dev/null
}

command -v redis-server >/dev/null || need redis-server
command -v pg_ctlcluster >/dev/null || need postgresql
command -v chromium >/dev/null || need chromium
[ -x /usr/sbin/smtp-sink ] || command -v smtp-sink >/dev/null || need postfix
# Dovecot for the bounce mailbox tests (each test starts its own server from a temp folder).
[ -x /usr/sbin/dovecot ] || need dovecot-imapd

# Redis on 127.0.0.1:6379 (tests use their own database numbers and key prefixes).
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "starting redis-server..."
  $SUDO mkdir -p /var/lib/redis /var/log/redis
  $SUDO redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 50); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

# PostgreSQL on 127.0.0.1:5432 with trust auth for local test databases.
pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q; }
if ! pg_ready; then
  echo "starting postgresql..."
  ver=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$ver/main/pg_hba.conf"
  if ! grep -q "distributor-tests" "$hba"; then
    # A freshly installed cluster asks for passwords on TCP; the tests connect as postgres over
    # loopback, so trust loopback (this is a test machine's throwaway cluster).
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust # distributor-tests\nhost all all ::1/128 trust # distributor-tests' "$hba"
  fi
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$ver" main start
  for _ in $(seq 100); do pg_ready && break; sleep 0.1; done
fi
pg_ready || { echo "error: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1" >/dev/null \
  || { echo "error: cannot connect to PostgreSQL as postgres on 127.0.0.1 (check pg_hba.conf trust)" >&2; exit 1; }
echo "services ready: redis, postgresql, chromium, smtp-sink, dovecot"
