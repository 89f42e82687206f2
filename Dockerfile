FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY api ./api
COPY web ./web
COPY data ./data
COPY locales ./locales
RUN pip install . && useradd --system --home /app reperes && mkdir -p var \
    && chown reperes var
USER reperes
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz').status != 200)"
# Migrate, load the demo directory into an empty database, then serve.
CMD ["sh", "-c", "reperes db upgrade && reperes load-demo --if-empty && reperes serve --host 0.0.0.0 --port 8000"]
