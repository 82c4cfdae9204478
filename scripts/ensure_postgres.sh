#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 and lets the postgres role in, so that
# `make test-postgres` can create its test database. Used by the Makefile and by .ci/run.
#
# Installs Debian's postgresql only when no cluster exists at all; a fresh install is given trust
# auth for the postgres role on 127.0.0.1 (a throwaway test server; never do this on a real one).
set -euo pipefail

HOST=127.0.0.1
PORT=5432
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo

if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /etc/postgresql 2>/dev/null)" ]; then
    echo "PostgreSQL is not installed: installing Debian's postgresql"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    hba="/etc/postgresql/$version/main/pg_hba.conf"
    $SUDO sed -i "1i host all postgres $HOST/32 trust" "$hba"
fi

version="$(ls /etc/postgresql | sort -V | tail -n 1)"
if ! pg_isready -q -h "$HOST" -p "$PORT"; then
    echo "starting PostgreSQL $version"
    $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do
        pg_isready -q -h "$HOST" -p "$PORT" && break
        sleep 1
    done
fi

if ! psql -h "$HOST" -p "$PORT" -U postgres -d postgres -w -tAc "select 1" >/dev/null; then
    echo "PostgreSQL runs but the postgres role cannot sign in from $HOST without a password." >&2
    echo "Allow it (pg_hba.conf: 'host all postgres $HOST/32 trust') or set PG_URL for make test-postgres." >&2
    exit 1
fi
echo "PostgreSQL $version is up on $HOST:$PORT"
