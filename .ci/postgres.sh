#!/usr/bin/env bash
# Start Debian's PostgreSQL on 127.0.0.1 with a database for the multi-machine sweep test,
# and print the URL the test reads from NNSCRATCH_TEST_POSTGRES.
set -euo pipefail
cluster=$(pg_lsclusters --no-header | awk 'NR == 1 {print $1 " " $2}')
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  pg_createcluster "$version" main > /dev/null 2>&1
  cluster="$version main"
fi
pg_ctlcluster $cluster start > /dev/null 2>&1 || true   # already running is fine
for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
su postgres -c "psql -q -v ON_ERROR_STOP=0" > /dev/null 2>&1 <<'SQL' || true
CREATE USER nnscratch WITH PASSWORD 'nnscratch';
CREATE DATABASE nnscratch_sweeps OWNER nnscratch;
SQL
echo "postgresql://nnscratch:nnscratch@127.0.0.1:5432/nnscratch_sweeps"
