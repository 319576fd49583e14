#!/usr/bin/env bash
# Refresh the front-end assets served by the app (the app never loads anything from the
# internet at run time). Needs npm and the npm registry. Each folder gets its licence and
# a VENDORED.md naming the package and version it came from.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
vendor=src/ceasefire/web/static/vendor

unpack() {  # unpack NAME@VERSION into $work/<name>
  local spec=$1 dir=$2
  mkdir -p "$work/$dir"
  (cd "$work/$dir" && npm pack --silent "$spec" >/dev/null && tar xzf ./*.tgz)
}

note() {  # note FOLDER SPEC LICENCE
  printf '# Vendored\n\n`%s` from the npm registry, by scripts/vendor_assets.sh. Licence: %s (LICENSE).\n' \
    "$2" "$3" >"$1/VENDORED.md"
}

# the OpenAPI browser at /docs
unpack swagger-ui-dist@5.35.0 swagger
target=$vendor/swagger-ui
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css favicon-32x32.png LICENSE NOTICE; do
  cp "$work/swagger/package/$f" "$target/$f"
done

# the map
unpack leaflet@1.9.4 leaflet
target=$vendor/leaflet
rm -rf "$target" && mkdir -p "$target/images"
cp "$work/leaflet/package/dist/leaflet.js" "$work/leaflet/package/dist/leaflet.css" "$target/"
cp "$work/leaflet/package/dist/images/"*.png "$target/images/"
cp "$work/leaflet/package/LICENSE" "$target/"
note "$target" leaflet@1.9.4 "BSD-2-Clause"

# fonts that cover Latin, Cyrillic and Arabic (Noto Sans, regular and bold)
target=$vendor/fonts
rm -rf "$target" && mkdir -p "$target"
unpack @fontsource/noto-sans@5.3.0 noto
unpack @fontsource/noto-sans-arabic@5.3.0 noto-arabic
for subset in latin latin-ext cyrillic; do
  for weight in 400 700; do
    cp "$work/noto/package/files/noto-sans-$subset-$weight-normal.woff2" "$target/"
  done
done
for weight in 400 700; do
  cp "$work/noto-arabic/package/files/noto-sans-arabic-arabic-$weight-normal.woff2" "$target/"
done
cp "$work/noto/package/LICENSE" "$target/LICENSE"
note "$target" "@fontsource/noto-sans@5.3.0 and @fontsource/noto-sans-arabic@5.3.0" "SIL Open Font License 1.1"

echo "refreshed $vendor"
