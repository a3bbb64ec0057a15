FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ufm ufm
COPY interviews interviews
COPY themes themes
RUN pip install --no-cache-dir .
COPY . .
# collectstatic only needs a key to import the settings (one made for this step and thrown
# away); the real one comes from the env file.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
