#!/usr/bin/env bash
# Renders the store images from their SVG sources with rsvg-convert (Debian's librsvg2-bin, installed
# by scripts/setup.d/30-assets.sh): the icon set (store-assets/icons/ and the copies the extension
# ships in extension/icons/) and the promo tile. The screenshots come from the browser test instead:
#   POSTGUARD_STORE_SCREENSHOTS=store-assets/screenshots npm test --prefix tests/e2e-deploy
# Run after editing icon.svg or promo-tile.svg; tests/e2e-deploy/assets.test.mjs checks the PNGs
# are what this script makes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here}"          # tests render into a temporary folder to compare
ext_icons="${2:-$here/../extension/icons}"
command -v rsvg-convert >/dev/null || { echo "rsvg-convert missing: bash scripts/setup.sh installs librsvg2-bin" >&2; exit 2; }
mkdir -p "$out/icons" "$ext_icons"
for size in 16 32 48; do
  rsvg-convert -w "$size" -h "$size" "$here/icon.svg" -o "$out/icons/$size.png"
done
# The store wants 128 px with the mark in the middle 96 px (16 px transparent margin).
rsvg-convert -w 96 -h 96 --page-width 128 --page-height 128 --left 16 --top 16 \
  "$here/icon.svg" -o "$out/icons/128.png"
for size in 16 32 48 128; do
  cmp -s "$out/icons/$size.png" "$ext_icons/$size.png" 2>/dev/null || cp "$out/icons/$size.png" "$ext_icons/$size.png"
done
rsvg-convert -w 440 -h 280 "$here/promo-tile.svg" -o "$out/promo-tile-440x280.png"
