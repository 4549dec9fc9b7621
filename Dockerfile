# The NOC Command Center, non-root, from a pinned base image.
FROM python:3.11.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN groupadd --system --gid 10001 noc && useradd --system --uid 10001 --gid noc --home /app noc
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY noc ./noc
COPY collectors ./collectors
COPY topology ./topology
COPY alerting ./alerting
COPY sla ./sla
RUN pip install -c constraints.txt . && mkdir -p /data && chown noc:noc /data
COPY inventory.yaml /etc/noc/inventory.yaml

USER noc
ENV NOC_DATA_DIR=/data NOC_INVENTORY=/etc/noc/inventory.yaml NOC_LISTEN_HOST=0.0.0.0 \
    NOC_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"]
CMD ["noc", "serve"]
