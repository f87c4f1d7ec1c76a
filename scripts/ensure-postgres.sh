#!/usr/bin/env bash
# Start the local PostgreSQL cluster if it is installed but not running. Never fails the build:
# the suite skips PostgreSQL when it cannot reach it.
set -u
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  echo "PostgreSQL is not installed here; tests run on SQLite only."
  exit 0
fi
if pg_lsclusters --no-header 2>/dev/null | grep -q online; then
  exit 0
fi
for version in $(ls /etc/postgresql 2>/dev/null); do
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
done
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -p 5432 -q && exit 0
  sleep 1
done
echo "PostgreSQL did not come up; tests run on SQLite only."
