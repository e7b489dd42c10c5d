# The portal's one image: web (gunicorn + whitenoise), Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1

# WeasyPrint (letter PDFs): Pango, HarfBuzz subsetting (without it a CJK page takes ~14 s
# instead of ~0.25 s), fontconfig and the Noto CJK faces; gettext for compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected (hashed, compressed) at build time and served by whitenoise.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py compilemessages -v0 -i staticfiles \
 && DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput -v0

RUN useradd --system --uid 1000 --home-dir /app fylink \
 && mkdir -p /data/media \
 && chown fylink /data/media
USER fylink

ENV DEBUG=0 MEDIA_ROOT=/data/media
VOLUME ["/data/media"]
EXPOSE 8000

CMD ["gunicorn", "liaison.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
