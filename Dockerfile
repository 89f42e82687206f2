FROM python:3.11-slim

# pg_dump/pg_restore for `reperes backup`/`restore`, of the server's major
# version (docker-compose.yml runs PostgreSQL 16; Debian's own client is 15,
# which refuses to dump a newer server): from the PostgreSQL project's apt
# repository, whose key postgresql-common ships.
ARG PG_MAJOR=16
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-common \
    && /usr/share/postgresql-common/pgdg/apt.postgresql.org.sh -y \
    && apt-get install -y --no-install-recommends postgresql-client-${PG_MAJOR} \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    WEB_CONCURRENCY=2
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY web ./web
COPY data ./data
COPY locales ./locales
# Installed, then the sources removed: the app runs from site-packages only.
# The catalogs are compiled there once (.mo files are not in git), so no
# worker has to compile them when it starts. The default SQLite file and mail
# outbox live in <install root>/var: that is /app/var, the one writable place.
RUN pip install . \
    && rm -rf api web data locales \
    && SITE="$(python -I -c 'from api.settings import ROOT; print(ROOT)')" \
    && pybabel compile --domain=messages --statistics --directory="$SITE/locales" \
    && useradd --system --home /app reperes && mkdir -p var && chown reperes var \
    && ln -s /app/var "$SITE/var"
USER reperes
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Migrate, load the demo directory into an empty database, then serve with
# $WEB_CONCURRENCY workers through `reperes serve` (its own socket: uvicorn's
# shared one delays keep-alive answers with several workers). No access log (it
# would store IP addresses: the app logs each request as JSON without them); no
# proxy headers (the app reads X-Forwarded-For only from REPERES_TRUSTED_PROXIES).
CMD ["sh", "-c", "reperes db upgrade && reperes load-demo --if-empty && exec reperes serve --host 0.0.0.0 --port 8000"]
