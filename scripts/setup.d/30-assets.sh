# Sourced by scripts/setup.sh: tools for the store assets and the force-install test (issue 6).
# rsvg-convert renders store-assets/*.svg (store-assets/render.sh; the assets test re-renders to
# check the committed PNGs), DejaVu is the promo tile's font, openssl makes the test-only CRX
# signing key. Chromium itself comes from 20-browser.sh.
step "Store-asset and deployment test tools"
ensure_packages librsvg2-bin fonts-dejavu-core openssl
