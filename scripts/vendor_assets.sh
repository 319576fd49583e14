#!/usr/bin/env bash
# Refresh the front-end assets served by the app (the app never loads anything from the
# internet at run time). Needs npm and the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent swagger-ui-dist@5.35.0 >/dev/null && tar xzf swagger-ui-dist-*.tgz)
target=src/ceasefire/web/static/vendor/swagger-ui
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css favicon-32x32.png LICENSE NOTICE; do
  cp "$work/package/$f" "$target/$f"
done
echo "refreshed $target"
