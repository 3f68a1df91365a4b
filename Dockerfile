FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 LEDGERDESK_DATA_DIR=/data
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY core ./core
COPY models ./models
COPY intake ./intake
COPY extraction ./extraction
COPY posting ./posting
COPY reconciliation ./reconciliation
COPY review_ui ./review_ui
COPY workers ./workers
COPY ledgerdesk ./ledgerdesk
RUN pip install --no-cache-dir . && useradd --create-home ledgerdesk && mkdir -p /data && chown ledgerdesk /data
USER ledgerdesk
EXPOSE 8000
CMD ["ledgerdesk", "api", "--host", "0.0.0.0", "--port", "8000"]
