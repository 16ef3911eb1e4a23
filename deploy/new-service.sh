#!/usr/bin/env bash
# Scaffolds the deployment files of a new HMS service from the `audit` ones:
#   deploy/new-service.sh billing 3005
# then prints the few lines to add by hand. `npx jest -c tests/deploy/jest.config.js` fails until
# every one of them is done.
set -euo pipefail
name="${1:-}"; port="${2:-}"
# Letters and digits only: the name is a Kubernetes name, a PostgreSQL schema and role
# (hms_<name>_login) and part of environment variable names.
if [[ ! "$name" =~ ^[a-z][a-z0-9]*$ || ! "$port" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <service-name> <port>   e.g. $0 billing 3005" >&2; exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/k8s/base/audit"; dst="$root/k8s/base/$name"
[[ -e "$dst" ]] && { echo "$dst exists already" >&2; exit 1; }
upper="$(echo "$name" | tr 'a-z' 'A-Z')"
mkdir -p "$dst"
for f in "$src"/*.yaml; do
  sed -e "s/AUDIT_/${upper}_/g" -e "s/hms_audit_login/hms_${name}_login/g" -e "s/\baudit\b/${name}/g" -e "s/3002/${port}/g" "$f" > "$dst/$(basename "$f")"
done
cat <<MSG
Created k8s/base/$name/ (its login hms_${name}_login, password in Secret hms-db-$name). Now:
  1. k8s/base/kustomization.yaml: add "  - $name" under resources.
  2. k8s/base/configmap.yaml: add "  ${upper}_URL: http://$name:$port" (the gateway routes to it).
  3. k8s/base/db-provision/job.yaml: add ${upper}_DB_PASSWORD from Secret hms-db-$name key password.
  4. k8s/overlays/{staging,production}/kustomization.yaml: add an images entry for hms/$name.
  5. docker-compose.yml: copy the audit service as $name (APP: $name, PORT: $port, DATABASE_URL
     with hms_${name}_login and \${${upper}_DB_PASSWORD:-change-me-$name-db-password}), add
     ${upper}_DB_PASSWORD (the same \${...}) to db-provision and ${upper}_URL: http://$name:$port to
     the gateway's environment; add ${upper}_DB_PASSWORD to deploy/compose.env.example.
  6. Create the Secret hms-db-$name in each cluster (k8s/README.md, "Secrets").
  7. The provisioning step provisions the services in APP_NAMES (tools/launcher/platform.ts):
     add $name there too.
  8. Check: npx jest -c tests/deploy/jest.config.js
MSG
