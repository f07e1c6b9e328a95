# One image for web, worker and beat (see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY distributor ./distributor
COPY templates ./templates
COPY worker.py ./
RUN pip install --no-cache-dir . && useradd --create-home distributor && mkdir /data \
    && chown distributor /data
USER distributor
ENV DISTRIBUTOR_DATA_DIR=/data
CMD ["celery", "-A", "worker", "worker", "--beat", "--loglevel=INFO"]
