#!/usr/bin/env bash
# The main job: set everything up, then show PostGuard checking real drafts.
source "$(dirname "$0")/lib/common.sh"
"$PG_ROOT/scripts/setup.sh"

PG="$PG_ROOT/build/native/bin/postguard"
ORGS="$PG_ROOT/../shared/corpus/orgs"
[ -d "$ORGS" ] || ORGS="$PG_ROOT/docs/examples/orgs"
show() {
  printf '\n\033[1m$ postguard check %s\033[0m\n' "$*"
  "$PG" check "$@" || true
}
step "PostGuard demo: checking drafts against Tarka Learning Partnership's policy"
show --policy "$ORGS/tarka.json" --school bideford-road --site x.com \
  "Sports day at Bideford Road! Here's my Year 1s in the sack race 😂 look at their faces"
show --policy "$ORGS/tarka.json" --school torridge-vale --site instagram.com --surface comment \
  "y11s add me on s n a p c h a t if u want the answers b4 the mock 👀"
show --policy "$ORGS/tarka.json" --school torridge-vale --site facebook.com \
  "Not allowed to say anything yet but TVA staff… check your emails Monday. The restructure is real 😬"
show --policy "$ORGS/tarka.json" --school torridge-vale --site linkedin.com \
  "Delighted to share that I've been appointed Head of Science at Torridge Vale Academy! (Views my own, not my employer's.)"
for part in "$PG_ROOT"/scripts/demo.d/*.sh; do
  [ -e "$part" ] || continue
  # shellcheck source=/dev/null
  source "$part"
done
