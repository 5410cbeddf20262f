# Alternance Q&A: one image for the web (ROLE=http: granian for pages and
# API; ROLE=ws: uvicorn for /ws/; ROLE=all: uvicorn for both in a single
# container) and one-off management commands. See docs/operations.md for
# configuration, deploy and why two servers ("Serving").
#
#   docker build -t alternance-qa .
#   docker run --env-file prod.env -e ROLE=all -p 8000:8000 alternance-qa
#   docker run --rm --env-file prod.env alternance-qa python manage.py migrate
# The whole production stack around it (PostgreSQL, Redis, two HTTP and two
# websocket containers, the worker, Caddy) is compose.yaml; CI builds this file with buildah and runs
# that stack from the image (tools/stack_check.sh).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first: this layer is rebuilt only when requirements.txt changes.
# Every pinned package ships a manylinux wheel, so no compiler is needed.
COPY requirements.txt ./
RUN pip install -r requirements.txt

# Code and static files stay owned by root: the app user can read them, not
# change them. It writes only to /app/var (the SQLite file, if ever used).
COPY . .

# Hashed, compressed static files, built once into the image and served by
# WhiteNoise (CompressedManifestStaticFilesStorage). The throwaway key only
# lets settings load; nothing is signed at build time.
RUN STATIC_MANIFEST=1 SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
    && mkdir -p /app/var \
    && chown app:app /app/var \
    && chmod 0755 /app/docker/entrypoint.sh \
    && python -m compileall -q /app

# Production defaults; the operator adds SECRET_KEY, ALLOWED_HOSTS,
# DATABASE_URL, REDIS_URL, EMAIL_* and an HSTS choice (docs/operations.md).
ENV DEBUG=0 \
    STATIC_MANIFEST=1 \
    WHITENOISE_USE_FINDERS=0 \
    SECURE_COOKIES=1 \
    SECURE_SSL_REDIRECT=1 \
    BEHIND_TLS_PROXY=1 \
    VAR_DIR=/app/var \
    PORT=8000 \
    WEB_CONCURRENCY=2

USER app
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "/app/docker/healthcheck.py"]

# The notifications worker is this image too, as its own container:
#   docker run ... alternance-qa python manage.py notifications_worker
# (docs/operations.md, "The notifications worker").
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["serve"]
