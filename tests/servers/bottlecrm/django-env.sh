# shellcheck shell=bash
# Sourced by start.sh and mint-jwt.sh: the environment django-crm runs with in the chroot
# (settings for loopback only, PostgreSQL on $PG_PORT, no Redis). Expects CRM_PORT and PG_PORT.
DJANGO_ENV=(
  DJANGO_SETTINGS_MODULE=crm.settings ENV_TYPE=dev DEBUG=True
  SECRET_KEY=crmtpl-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz
  ALLOWED_HOSTS=localhost,127.0.0.1
  DBNAME=bottlecrm DBUSER=crm DBPASSWORD=crm DBHOST=127.0.0.1 "DBPORT=$PG_PORT"
  CELERY_BROKER_URL=memory:// CELERY_RESULT_BACKEND=cache+memory://
  "DOMAIN_NAME=http://127.0.0.1:$CRM_PORT" FRONTEND_URL=http://127.0.0.1:5181
)
