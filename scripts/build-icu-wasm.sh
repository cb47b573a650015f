#!/usr/bin/env bash
# Build ICU (Debian's source package, the same version as the native libicu-dev /
# icu-devtools) as static wasm32 libraries plus a small data package, cached outside
# the source tree. Idempotent: a complete cache is detected by a stamp file written last.
#
# Usage: scripts/build-icu-wasm.sh [--print-dir] [--force] [-h|--help]
#   (no option)   build if needed; progress on stdout, the cache dir as the last line
#   --print-dir   build if needed, but print only the cache dir on stdout (progress
#                 goes to stderr), e.g. ICU_WASM=$(scripts/build-icu-wasm.sh --print-dir)
#   --force       rebuild this cache entry (reusing the fetched source and build trees)
#
# Environment:
#   POSTGUARD_CACHE   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/postguard)
#   JOBS              make parallelism (default: nproc)
#
# Result: $POSTGUARD_CACHE/icu-wasm/<icu-version>-<hash>/
#   lib/libicuuc.a lib/libicui18n.a lib/libicudata-stub.a  include/unicode/*.h
#   data/postguard-icu.dat        icupkg subset listed in scripts/icu-wasm-data.list
#   data/postguard-icu-data.c     the same bytes as a C array named icudt<major>_dat
#                                 (ICU's own data entry point: link it and ICU finds
#                                 the data by itself; otherwise link the stub library
#                                 and call udata_setCommonData with the .dat bytes)
#   build.log  BUILDINFO  .complete (stamp)
# <hash> covers the compiler flags, configure options, Debian package version and the
# data list; fetched source and build trees live in $POSTGUARD_CACHE/icu-wasm/work/.
set -Eeuo pipefail

PRINT_DIR_ONLY=0
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --print-dir) PRINT_DIR_ONLY=1 ;;
    --force) FORCE=1 ;;
    -h|--help) sed -n '2,/^set -Eeuo/{/^set -Eeuo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "build-icu-wasm: unknown option: $arg (try --help)" >&2; exit 2 ;;
  esac
done

# stdout carries only the result directory with --print-dir; everything else -> stderr.
# fd 3 = result, fd 4 = error reports (stay visible even inside redirected blocks)
if [[ $PRINT_DIR_ONLY == 1 ]]; then exec 3>&1 1>&2; else exec 3>&1; fi
exec 4>&2
say() { printf '%s\n' "$*"; }
die() { printf 'build-icu-wasm: error: %s\n' "$*" >&4; exit 1; }

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATA_LIST=$SCRIPT_DIR/icu-wasm-data.list
[[ -r $DATA_LIST ]] || die "data list not found: $DATA_LIST"
CACHE_ROOT=${POSTGUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/postguard}
BASE=$CACHE_ROOT/icu-wasm
WORK=$BASE/work
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}

# ---- build configuration (all of it goes into the cache key) --------------------------
KEY_FORMAT=1   # bump when the layout or the build recipe changes
WASM_CFLAGS="-O2"
WASM_CXXFLAGS="-O2 -fno-exceptions"
WASM_CPPFLAGS=""   # U_CHARSET_IS_UTF8 is already 1 for U_PF_EMSCRIPTEN
WASM_CONFIGURE_ARGS=(--host=wasm32-unknown-linux --enable-static --disable-shared
  --disable-tools --disable-tests --disable-samples --disable-extras --disable-icuio
  --disable-layoutex --disable-dyload)   # renaming stays on: C API symbols end in _<major>
NATIVE_CONFIGURE_ARGS=(--disable-shared --enable-static --disable-tests --disable-samples
  --disable-extras --disable-icuio --disable-layoutex)
PACKAGES=(emscripten icu-devtools build-essential dpkg-dev)

data_items() {   # the data list without comments and blank lines
  sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e 's/^[[:space:]]*//' "$DATA_LIST" | grep -v '^$' || true
}

# ---- privileges / packages ------------------------------------------------------------
SUDO=()
if [[ $(id -u) != 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=(sudo -n); fi
fi
need_root() {   # $1: what for
  [[ $(id -u) == 0 || ${#SUDO[@]} -gt 0 ]] || die "need root (or sudo) to $1; run this script as root once"
}
APT_OPTS=(-y -q -o DPkg::Lock::Timeout=600)
APT_UPDATED=0
apt_update() {
  if [[ $APT_UPDATED == 0 ]]; then
    say "  apt-get update"
    need_root "run apt-get update"
    "${SUDO[@]}" apt-get -q -o DPkg::Lock::Timeout=600 update >>"$APT_LOG" 2>&1 \
      || { tail -n 20 "$APT_LOG" >&2; die "apt-get update failed (log: $APT_LOG)"; }
    APT_UPDATED=1
  fi
}
missing_packages() {
  local p st
  for p in "${PACKAGES[@]}"; do
    st=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
    [[ $st == installed ]] || printf '%s\n' "$p"
  done
}

# Add deb-src entries that mirror the distribution's existing deb entries (same URIs,
# suites, components, Signed-By ...), in a separate file, unless deb-src is already set.
ensure_deb_src() {
  local codename targets dst tof site rel cn entry
  local -a entries=()
  local -A have_src=() codename_of=()
  codename=$(. /etc/os-release 2>/dev/null && printf '%s' "${VERSION_CODENAME:-}")
  # Every configured index: type, URI, suite, sources entry (file:stanza for deb822
  # .sources, file:line for one-line .list files); plus the codenames from the Release
  # files already downloaded (a suite may be written as "stable").
  targets=$(apt-get indextargets --no-release-info --format '$(TARGET_OF)|$(SITE)|$(RELEASE)|$(SOURCESENTRY)' 2>/dev/null | sort -u)
  while IFS='|' read -r site rel cn; do
    [[ -n $site ]] && codename_of["$site|$rel"]=$cn
  done < <(apt-get indextargets --format '$(SITE)|$(RELEASE)|$(CODENAME)' 2>/dev/null | sort -u)
  while IFS='|' read -r tof site rel entry; do
    [[ $tof == deb-src ]] && have_src["$site|$rel"]=1
  done <<<"$targets"
  while IFS='|' read -r tof site rel entry; do
    [[ $tof == deb ]] || continue
    # only this Debian release's suites (bookworm, bookworm-updates, bookworm-security ...)
    cn=${codename_of["$site|$rel"]:-}
    if [[ -n $codename ]]; then
      [[ $rel == "$codename" || $rel == "$codename"-* || $cn == "$codename" || $cn == "$codename"-* ]] || continue
    fi
    [[ -z ${have_src["$site|$rel"]:-} ]] && entries+=("$entry")
  done <<<"$targets"
  [[ ${#entries[@]} -gt 0 ]] || return 1     # nothing to add (deb-src already configured)
  mapfile -t entries < <(printf '%s\n' "${entries[@]}" | sort -u)

  local tmp f n; tmp=$(mktemp)
  dst=/etc/apt/sources.list.d/postguard-deb-src.sources
  {
    echo "# Added by PostGuard scripts/build-icu-wasm.sh for 'apt-get source icu': deb-src"
    echo "# entries mirroring the distribution's deb entries. Safe to delete."
    for entry in "${entries[@]}"; do
      f=${entry%:*}; n=${entry##*:}
      echo
      if [[ $f == *.sources ]]; then
        # deb822: copy stanza number $n (apt counts stanzas, not lines) with Types: deb-src
        awk -v target="$n" '
          /^[[:space:]]*$/ { if (inpar) { if (cnt == target) exit; inpar = 0 } next }
          /^#/ { if (inpar && cnt == target) print; next }
          { if (!inpar) { inpar = 1; cnt++ }
            if (cnt != target) next
            if (tolower($0) ~ /^types:/) print "Types: deb-src"; else print }' "$f"
      else
        # one-line format at line $n: "deb [opts] uri suite comps..." -> deb822
        sed -n "${n}p" "$f" | awk '{
          sub(/#.*/, ""); i = 2; opts = ""
          if ($2 ~ /^\[/) {   # [ key=value ... ] options, possibly several words
            while (i <= NF) { opts = opts " " $i; if ($i ~ /\]$/) { i++; break } i++ }
          }
          gsub(/[\[\]]/, "", opts)
          print "Types: deb-src"; print "URIs: " $i; print "Suites: " $(i + 1)
          comps = ""; for (j = i + 2; j <= NF; j++) comps = comps (comps == "" ? "" : " ") $j
          print "Components: " comps
          n = split(opts, o, " ")
          for (k = 1; k <= n; k++) {
            split(o[k], kv, "=")
            if (kv[1] == "signed-by") print "Signed-By: " kv[2]
            else if (kv[1] == "trusted") print "Trusted: " kv[2]
          }
        }'
      fi
    done
  } >"$tmp"
  say "  adding deb-src entries mirroring the existing deb entries: $dst"
  need_root "add $dst"
  "${SUDO[@]}" install -m 0644 "$tmp" "$dst"
  rm -f "$tmp"
  return 0
}

ensure_packages() {
  local missing
  mapfile -t missing < <(missing_packages)
  if [[ ${#missing[@]} -gt 0 ]]; then
    say "  installing: ${missing[*]}"
    need_root "install ${missing[*]}"
    if ! "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install "${APT_OPTS[@]}" "${missing[@]}" >>"$APT_LOG" 2>&1; then
      [[ $APT_UPDATED == 0 ]] || { tail -n 20 "$APT_LOG" >&2; die "apt-get install ${missing[*]} failed (log: $APT_LOG)"; }
      apt_update
      "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install "${APT_OPTS[@]}" "${missing[@]}" >>"$APT_LOG" 2>&1 \
        || { tail -n 20 "$APT_LOG" >&2; die "apt-get install ${missing[*]} failed (log: $APT_LOG)"; }
    fi
  fi
}

# ---- cache key ------------------------------------------------------------------------
compute_key() {
  DEB_VERSION=$(dpkg-query -W -f '${source:Version}' icu-devtools 2>/dev/null || true)
  ICU_VERSION=$(dpkg-query -W -f '${source:Upstream-Version}' icu-devtools 2>/dev/null || true)
  [[ -n $DEB_VERSION && -n $ICU_VERSION ]] || return 1
  ICU_MAJOR=${ICU_VERSION%%.*}
  LIB_HASH=$( { echo "format=$KEY_FORMAT deb=$DEB_VERSION"; echo "cflags=$WASM_CFLAGS";
                echo "cxxflags=$WASM_CXXFLAGS"; echo "cppflags=$WASM_CPPFLAGS";
                echo "configure=${WASM_CONFIGURE_ARGS[*]}"; } | sha256sum | cut -c1-10)
  KEY_HASH=$( { echo "libs=$LIB_HASH"; data_items; } | sha256sum | cut -c1-10)
  OUT=$BASE/$ICU_VERSION-$KEY_HASH
  return 0
}

finish() {   # print the result directory (last line of stdout)
  printf '%s\n' "$OUT" >&3
  exit 0
}

if [[ $FORCE == 0 ]] && compute_key && [[ -f $OUT/.complete ]]; then
  say "ICU for wasm: cached at $OUT"
  finish
fi

# ---- build ----------------------------------------------------------------------------
mkdir -p "$BASE" "$WORK"
exec 9>"$BASE/.lock"
if ! flock -n 9; then
  say "build-icu-wasm: waiting for another build in $BASE ..."
  flock 9
fi
T0=$(date +%s)
APT_LOG=$WORK/apt.log
: >"$APT_LOG"
LOG=""
STEP="setup"

on_error() {
  local rc=$?
  trap - ERR
  [[ $BASH_SUBSHELL == 0 ]] || exit "$rc"   # report once, from the main shell
  {
    printf '\nbuild-icu-wasm: FAILED during "%s" (exit %s)\n' "$STEP" "$rc"
    if [[ -n $LOG && -s $LOG ]]; then
      printf -- '---- last 40 lines of %s ----\n' "$LOG"
      tail -n 40 "$LOG"
      printf -- '---- end of log (full log: %s) ----\n' "$LOG"
    fi
  } >&4
  exit 1
}
trap on_error ERR

say "[1/5] fetching source"
STEP="installing packages / fetching source"
if ensure_deb_src; then apt_update; fi
ensure_packages
command -v emcc >/dev/null && command -v icupkg >/dev/null && command -v genccode >/dev/null \
  || die "emcc, icupkg or genccode not found after installing ${PACKAGES[*]}"
compute_key || die "cannot determine the ICU version from the icu-devtools package"
# Re-check the cache now that the key is known (a fresh machine had no icu-devtools).
if [[ $FORCE == 0 && -f $OUT/.complete ]]; then
  say "ICU for wasm: cached at $OUT"
  finish
fi
rm -rf "$OUT"
mkdir -p "$OUT"
LOG=$OUT/build.log
: >"$LOG"
{ echo "# build-icu-wasm $(date -u +%FT%TZ) ICU $ICU_VERSION (Debian $DEB_VERSION) key $KEY_HASH libs $LIB_HASH"; cat "$APT_LOG"; } >>"$LOG"

SRC_PARENT=$WORK/src-$DEB_VERSION
SRC=$SRC_PARENT/icu-$ICU_VERSION
if [[ ! -f $SRC_PARENT/.complete ]]; then
  rm -rf "$SRC_PARENT"; mkdir -p "$SRC_PARENT"
  if ! apt-cache showsrc icu >/dev/null 2>&1 || [[ -z $(apt-cache showsrc icu 2>/dev/null) ]]; then apt_update; fi
  say "  apt-get source icu=$DEB_VERSION"
  fetch_src() { (cd "$SRC_PARENT" && apt-get -q -o APT::Sandbox::User=root source "icu=$DEB_VERSION") >>"$LOG" 2>&1; }
  if ! fetch_src && { [[ $APT_UPDATED == 1 ]] || { apt_update; ! fetch_src; }; }; then
    echo "apt-get source icu=$DEB_VERSION failed. The source must be the same version as the" \
      "installed icu-devtools/libicu-dev: if the archive has moved on, upgrade those first" \
      "(apt-get install --only-upgrade icu-devtools libicu-dev) and re-run." >>"$LOG"
    false
  fi
  [[ -x $SRC/source/configure ]] || { echo "expected $SRC/source/configure after apt-get source" >>"$LOG"; false; }
  [[ -f $SRC/source/data/in/icudt${ICU_MAJOR}l.dat ]] || { echo "missing data/in/icudt${ICU_MAJOR}l.dat in the source" >>"$LOG"; false; }
  touch "$SRC_PARENT/.complete"
else
  say "  source already fetched: $SRC"
fi
# Check the data list now rather than after the long build.
SRC_DAT=$SRC/source/data/in/icudt${ICU_MAJOR}l.dat
bad_items=$(comm -23 <(data_items | sort -u) <(icupkg -l "$SRC_DAT" 2>>"$LOG" | sort -u) | tr '\n' ' ')
[[ -z $bad_items ]] || die "not in $(basename "$SRC_DAT") (see 'icupkg -l'; some data is compiled into libicuuc): $bad_items-- fix $DATA_LIST"

say "[2/5] configuring native ICU (host tools for --with-cross-build)"
STEP="native configure"
NATIVE=$WORK/native-$DEB_VERSION
if [[ ! -f $NATIVE/.complete ]]; then
  rm -rf "$NATIVE"; mkdir -p "$NATIVE"
  ( cd "$NATIVE" && "$SRC/source/configure" "${NATIVE_CONFIGURE_ARGS[@]}" \
      && make -j"$JOBS" config/icucross.mk config/icucross.inc ) >>"$LOG" 2>&1
  [[ -f $NATIVE/config/icucross.mk ]]
  touch "$NATIVE/.complete"
else
  say "  native build dir already prepared: $NATIVE"
fi

say "[3/5] building ICU for wasm32 (stubdata, common, i18n; first build 5-15 min on 2 cores; log: $LOG)"
STEP="wasm configure/build"
WB=$WORK/wasm-$ICU_VERSION-$LIB_HASH
if [[ ! -f $WB/.configured ]]; then
  rm -rf "$WB"; mkdir -p "$WB"
  ( cd "$WB" && CFLAGS="$WASM_CFLAGS" CXXFLAGS="$WASM_CXXFLAGS" CPPFLAGS="$WASM_CPPFLAGS" \
      emconfigure "$SRC/source/configure" "${WASM_CONFIGURE_ARGS[@]}" \
        --with-cross-build="$NATIVE" --prefix="$WB/stage" ) >>"$LOG" 2>&1
  touch "$WB/.configured"
fi
mkdir -p "$WB/lib" "$WB/bin"   # normally created by the top-level make, which we skip
for d in stubdata common i18n; do
  say "  make -C $d"
  ( cd "$WB" && emmake make -j"$JOBS" -C "$d" ) >>"$LOG" 2>&1
done

say "[4/5] installing libraries and headers"
STEP="install"
mkdir -p "$OUT/lib" "$OUT/include/unicode"
cp "$WB/lib/libicuuc.a" "$WB/lib/libicui18n.a" "$OUT/lib/"
STUB=$WB/stubdata/libicudata.a; [[ -f $STUB ]] || STUB=$WB/lib/libicudata.a
cp "$STUB" "$OUT/lib/libicudata-stub.a"
cp "$SRC"/source/common/unicode/*.h "$SRC"/source/i18n/unicode/*.h "$OUT/include/unicode/"

say "[5/5] packaging ICU data (icupkg subset of icudt${ICU_MAJOR}l.dat)"
STEP="data package"
DW=$OUT/.data-work
rm -rf "$DW"; mkdir -p "$DW/items" "$DW/c" "$OUT/data"
data_items | sort -u >"$DW/items.txt"
{
  echo "# data items:"; cat "$DW/items.txt"
  icupkg -x "$DW/items.txt" -d "$DW/items" "$SRC_DAT"
  echo "# dependencies deliberately not packaged (icupkg reports them; --ignore-deps below):"
  icupkg -tl --toc_prefix "icudt${ICU_MAJOR}l" -s "$DW/items" -a "$DW/items.txt" new "$DW/deps-check.dat" 2>&1 | sort -u || true
  # ToC prefix = ICU's own package name (icudt72l/...), as in the common data ICU expects
  icupkg -tl --ignore-deps --toc_prefix "icudt${ICU_MAJOR}l" -s "$DW/items" -a "$DW/items.txt" \
    new "$DW/postguard-icu.dat"
  echo "# packaged:"; icupkg --ignore-deps --auto_toc_prefix -l "$DW/postguard-icu.dat"
  # genccode names the array after the file: icudt72.dat -> icudt72_dat, ICU's data entry point
  cp "$DW/postguard-icu.dat" "$DW/c/icudt${ICU_MAJOR}.dat"
  genccode -d "$DW/c" "$DW/c/icudt${ICU_MAJOR}.dat"
} >>"$LOG" 2>&1
bad_items=$(comm -23 "$DW/items.txt" <(icupkg --ignore-deps --auto_toc_prefix -l "$DW/postguard-icu.dat" 2>/dev/null | sort -u) | tr '\n' ' ')
[[ -z $bad_items ]] || { echo "items missing from the package: $bad_items" >>"$LOG"; false; }
grep -q "} icudt${ICU_MAJOR}_dat=" "$DW/c/icudt${ICU_MAJOR}_dat.c" \
  || { echo "genccode did not emit the symbol icudt${ICU_MAJOR}_dat" >>"$LOG"; false; }
mv "$DW/postguard-icu.dat" "$OUT/data/postguard-icu.dat"
{
  echo "/* Generated by PostGuard scripts/build-icu-wasm.sh (genccode) from postguard-icu.dat."
  echo " * Defines icudt${ICU_MAJOR}_dat, ICU's data entry point: link this file and ICU finds its"
  echo " * data without udata_setCommonData (it takes precedence over libicudata-stub.a). */"
  cat "$DW/c/icudt${ICU_MAJOR}_dat.c"
} >"$OUT/data/postguard-icu-data.c"
rm -rf "$DW"
DATA_SIZE=$(stat -c %s "$OUT/data/postguard-icu.dat")
DATA_GZ=$(gzip -9 -c "$OUT/data/postguard-icu.dat" | wc -c)

STEP="check"
# Sanity check: the entry points PostGuard uses are in the archives.
NM_OUT=$(emnm "$OUT/lib/libicuuc.a" "$OUT/lib/libicui18n.a" 2>>"$LOG")
for sym in unorm2_getNFKCCasefoldInstance uspoof_getSkeleton ubrk_open uregex_open udata_setCommonData; do
  grep -q " T ${sym}_${ICU_MAJOR}\$" <<<"$NM_OUT" \
    || { echo "symbol ${sym}_${ICU_MAJOR} not found in the libraries" >>"$LOG"; false; }
done

T1=$(date +%s)
{
  echo "icu_version=$ICU_VERSION"
  echo "debian_version=$DEB_VERSION"
  echo "emscripten=$(emcc --version 2>/dev/null | head -n1)"
  echo "cflags=$WASM_CFLAGS"
  echo "cxxflags=$WASM_CXXFLAGS"
  echo "cppflags=$WASM_CPPFLAGS"
  echo "configure=${WASM_CONFIGURE_ARGS[*]} --with-cross-build=$NATIVE"
  echo "data_items=$(data_items | tr '\n' ' ')"
  echo "data_size=$DATA_SIZE"
  echo "data_gzip_size=$DATA_GZ"
  echo "data_c_symbol=icudt${ICU_MAJOR}_dat"
  echo "em++_flags=-I$OUT/include"
  echo "link_flags=$OUT/lib/libicui18n.a $OUT/lib/libicuuc.a $OUT/lib/libicudata-stub.a"
  echo "build_seconds=$((T1 - T0))"
} >"$OUT/BUILDINFO"
date -u +%FT%TZ >"$OUT/.complete"

say "ICU for wasm $ICU_VERSION (Debian $DEB_VERSION) built in $((T1 - T0)) s"
say "  libs: $(cd "$OUT/lib" && for f in *.a; do printf '%s (%s KB) ' "$f" $(( $(stat -c %s "$f") / 1024 )); done)"
say "  data: data/postguard-icu.dat $DATA_SIZE bytes, $DATA_GZ bytes gzipped; C array icudt${ICU_MAJOR}_dat in data/postguard-icu-data.c"
say "ICU for wasm: built at $OUT"
finish
