#!/usr/bin/env bash
# Scaffolds the deployment files of a new HMS service from the `audit` ones:
#   deploy/new-service.sh wards 3003
# then prints the few lines to add by hand. `npx jest -c tests/deploy/jest.config.js` fails until
# every one of them is done.
set -euo pipefail
name="${1:-}"; port="${2:-}"
if [[ ! "$name" =~ ^[a-z][a-z0-9-]*$ || ! "$port" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 <service-name> <port>   e.g. $0 wards 3003" >&2; exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
src="$root/k8s/base/audit"; dst="$root/k8s/base/$name"
[[ -e "$dst" ]] && { echo "$dst exists already" >&2; exit 1; }
upper="$(echo "$name" | tr 'a-z-' 'A-Z_')"
mkdir -p "$dst"
for f in "$src"/*.yaml; do
  sed -e "s/AUDIT_/${upper}_/g" -e "s/\baudit\b/${name}/g" -e "s/3002/${port}/g" "$f" > "$dst/$(basename "$f")"
done
cat <<MSG
Created k8s/base/$name/. Now:
  1. k8s/base/kustomization.yaml: add "  - $name" under resources.
  2. k8s/base/configmap.yaml: add "  ${upper}_URL: http://$name:$port" (the gateway routes to it).
  3. k8s/overlays/{staging,production}/kustomization.yaml: add an images entry for hms/$name.
  4. docker-compose.yml: copy the audit service as $name (APP: $name, PORT: $port) and add
     ${upper}_URL: http://$name:$port to the gateway's environment.
  5. The Secret hms-secrets needs ${upper}_DATABASE_URL (a login role for the $name schema).
  6. Check: npx jest -c tests/deploy/jest.config.js
MSG
