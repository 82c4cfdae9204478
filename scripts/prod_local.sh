#!/usr/bin/env bash
# `make prod-local`: the production topology on this machine, for tests and benchmarks.
#   PostgreSQL on 127.0.0.1 (database $PROD_DB), gunicorn with two worker processes on
#   127.0.0.1:$PROD_PORT, one task worker (manage.py worker) and the scheduler — each a separate
#   process, as under systemd (deploy/). Static files from WhiteNoise's compressed manifest.
#   Plain HTTP on 127.0.0.1 only, so the TLS settings stay off here (docs/deploy.md).
# `scripts/prod_local.sh stop` ends the processes it started (by their pid files).
set -euo pipefail
cd "$(dirname "$0")/.."

PROD_DB="${PROD_DB:-yuntu_prodlocal}"
PROD_PORT="${PROD_PORT:-8100}"
PROD_PG_PORT="${PROD_PG_PORT:-5432}"   # another port: a PostgreSQL cluster of its own (docs/benchmarks.md)
RUN=var/prod-local
PY=.venv/bin/python
mkdir -p "$RUN/media" "$RUN/backups"

stop() {
    for name in scheduler worker web; do
        if [ -f "$RUN/$name.pid" ] && kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
            kill "$(cat "$RUN/$name.pid")" && echo "stopped $name (pid $(cat "$RUN/$name.pid"))"
        fi
        rm -f "$RUN/$name.pid"
    done
}
if [ "${1:-}" = stop ]; then stop; exit 0; fi

[ -f "$RUN/secret" ] || $PY -c "import secrets; print(secrets.token_urlsafe(50))" > "$RUN/secret"
[ -f "$RUN/field-key" ] || $PY -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())" > "$RUN/field-key"
export DEBUG=false
export SECRET_KEY="$(cat "$RUN/secret")"
export FIELD_ENCRYPTION_KEY="$(cat "$RUN/field-key")"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PROD_PG_PORT/$PROD_DB"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage
export MEDIA_ROOT="$PWD/$RUN/media"
export BACKUP_DIR="$PWD/$RUN/backups"
export LOG_LEVEL=WARNING

[ "$PROD_PG_PORT" != 5432 ] || bash scripts/ensure_postgres.sh
psql -h 127.0.0.1 -p "$PROD_PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PROD_DB'" | grep -q 1 \
    || createdb -h 127.0.0.1 -p "$PROD_PG_PORT" -U postgres "$PROD_DB"
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py check --deploy --fail-level ERROR -v 0 >/dev/null
if [ "${PROD_DEMO:-1}" = 1 ]; then
    $PY manage.py demo --scale district | tail -n 1
    $PY manage.py demo_ledger | tail -n 1
    $PY manage.py demo_voices | tail -n 1
fi

stop >/dev/null
$PY -m gunicorn config.wsgi --bind "127.0.0.1:$PROD_PORT" --workers 2 --timeout 120 \
    --access-logfile "$RUN/access.log" --error-logfile "$RUN/web.log" --daemon --pid "$RUN/web.pid"
nohup $PY manage.py worker >> "$RUN/worker.log" 2>&1 & echo $! > "$RUN/worker.pid"
nohup $PY manage.py scheduler >> "$RUN/scheduler.log" 2>&1 & echo $! > "$RUN/scheduler.pid"
for _ in $(seq 1 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PROD_PORT/login/" && break
    sleep 0.5
done
echo "prod-local: http://127.0.0.1:$PROD_PORT/ (gunicorn ×2 pid $(cat "$RUN/web.pid"), worker pid $(cat "$RUN/worker.pid"), scheduler pid $(cat "$RUN/scheduler.pid")); logs in $RUN/; 'make prod-local-stop' ends them"
