#!/usr/bin/env bash
# make bench: seed (once), gunicorn with 2 sync workers and DEBUG=0 on 127.0.0.1, wrk, canary load.
set -euo pipefail
export PYTHONUNBUFFERED=1
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/fy_bench}
PORT=${BENCH_PORT:-8400}
CASES=${CASES:-200000} SUGGESTIONS=${SUGGESTIONS:-20000} LETTERS=${LETTERS:-20000} MEETINGS=${MEETINGS:-5000}
LABEL=${LABEL:-run}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk"; exit 1; }

db=${DATABASE_URL##*/}
psql "${DATABASE_URL%/*}/postgres" -tAc "select 1 from pg_database where datname='$db'" | grep -q 1 \
  || psql "${DATABASE_URL%/*}/postgres" -qc "create database $db"
DEBUG=1 $PY manage.py migrate --noinput -v0
have=$(DEBUG=1 $PY manage.py shell --no-imports -c "from cases.models import AdministrativeCase as C; print(C.objects.count())" | tail -1)
if [ "$have" -eq 0 ]; then
  DEBUG=1 $PY manage.py seed_scale --cases "$CASES" --suggestions "$SUGGESTIONS" --letters "$LETTERS" --meetings "$MEETINGS"
elif [ "$have" -lt "$CASES" ]; then
  echo "note: the database has $have cases (asked for $CASES); drop it to reseed"
fi

mkdir -p var
export DEBUG=0 SECRET_KEY=${SECRET_KEY:-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH}
export ALLOWED_HOSTS=127.0.0.1 DJANGO_SETTINGS_MODULE=bench.settings BENCH_PORT=$PORT
if [ ! -f staticfiles/staticfiles.json ] || [ -n "$(find static -newer staticfiles/staticfiles.json -type f | head -1)" ]; then
  $PY manage.py collectstatic --noinput -v0
fi
.venv/bin/gunicorn liaison.wsgi:application --workers 2 --bind "127.0.0.1:$PORT" \
  --pid var/bench-gunicorn.pid --log-level warning --timeout 120 &
gpid=$!
trap 'kill $gpid 2>/dev/null; wait $gpid 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/bench/bare-json/" && break
  sleep 0.5
done
curl -sf -o /dev/null "http://127.0.0.1:$PORT/bench/bare-json/" || { echo "gunicorn did not start on port $PORT"; exit 1; }
$PY -m bench.run --label "$LABEL" ${BENCH_ARGS:-}
$PY -m bench.canary ${CANARY_ARGS:-}
