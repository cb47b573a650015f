# Sourced by scripts/setup.sh: what the deployment kit's tests (scripts/test.d/70-deploy-kit.sh)
# need besides the native build: dpkg-deb/dpkg-shlibdeps for the CPack .deb, xmllint for the
# ADMX/ADML and .mobileconfig files.
step "Deployment kit tools (dpkg-dev, libxml2-utils)"
ensure_packages dpkg-dev libxml2-utils python3
