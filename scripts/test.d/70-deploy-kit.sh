# Sourced by scripts/test.sh: the deployment kit (docs/admin/, docs/examples/, the ADMX/ADML
# templates, the .mobileconfig, the .reg files, the /etc examples and the CPack .deb), each loaded
# and checked with the real CLI and host built in build/native (tests/deploy-kit/).
step "Deployment kit: admin examples, example policies, ADMX/ADML, .deb (tests/deploy-kit)"
for tool in cpack dpkg-deb dpkg-shlibdeps xmllint; do
  command -v "$tool" >/dev/null || die "$tool is missing: run scripts/setup.sh"
done
(cd "$PG_ROOT" && POSTGUARD_BUILD="$PG_ROOT/build/native" python3 tests/deploy-kit/test_deploy_kit.py)
