#!/usr/bin/env bash
# One-time (and idempotent) set-up for a fresh Debian bookworm machine:
#  1. installs every Debian package the build and the tests need;
#  2. fetches the Debian *source* packages of our third-party libraries into
#     build/deps/ without touching the machine's apt configuration, verifies
#     them against their .dsc checksums and unpacks them (Debian patches applied).
#
# Usage: tools/setup.sh            (from anywhere; paths are relative to the repo)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
deps="$repo/build/deps"
log() { printf 'setup: %s\n' "$*" >&2; }

# Source packages we compile from source for every target. Versions are those
# of Debian bookworm; the unpacked folder names are what CMake looks for.
source_packages=(mbedtls cjson qr-code-generator)

host_packages=(
  cmake ninja-build pkg-config g++ dpkg-dev openssl
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
  qemu-system-arm qemu-user
  g++-aarch64-linux-gnu
  node-llhttp doctest-dev
  libcpp-httplib-dev libssl-dev nlohmann-json3-dev libpng-dev zbar-tools
  clang libclang-rt-14-dev
  chromium fonts-liberation
)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

install_host_packages() {
  local missing=()
  for p in "${host_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then log "Debian packages already installed"; return; fi
  log "installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Turns the machine's own "deb" entries (one-line and deb822 formats) into
# "deb-src" lines for a private sources.list. No mirror is named in the repo.
derive_deb_src_lines() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    sed -n -E 's/^[[:space:]]*deb[[:space:]]+/deb-src /p' "$f"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && uris != "" && enabled != "no") {
          n = split(uris, u, " "); m = split(suites, s, " ")
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
            printf "deb-src %s%s %s %s\n", opts, u[i], s[j], comps
        }
        types = uris = suites = comps = opts = ""; enabled = ""
      }
      /^[[:space:]]*$/ { flush(); next }
      /^#/ { next }
      /^Types:/      { sub(/^Types:[[:space:]]*/, "");      types = $0 }
      /^URIs:/       { sub(/^URIs:[[:space:]]*/, "");       uris = $0 }
      /^Suites:/     { sub(/^Suites:[[:space:]]*/, "");     suites = $0 }
      /^Components:/ { sub(/^Components:[[:space:]]*/, ""); comps = $0 }
      /^Enabled:/    { sub(/^Enabled:[[:space:]]*/, "");    enabled = tolower($0) }
      /^Signed-By:/  { sub(/^Signed-By:[[:space:]]*/, "");  opts = "[signed-by=" $0 "] " }
      END { flush() }
    ' "$f"
  done
}

# Checks each file listed in a .dsc against its Checksums-Sha256 entry.
# Missing files are reported to the caller (exit 2) so it can decide whether
# the upstream tarball alone is enough.
verify_dsc() {
  local dsc=$1 dir missing=0
  dir=$(dirname "$dsc")
  while read -r sum size name; do
    [ -n "$name" ] || continue
    if [ ! -f "$dir/$name" ]; then log "  missing $name"; missing=1; continue; fi
    echo "$sum  $dir/$name" | sha256sum --quiet -c - || { log "checksum mismatch: $name"; exit 1; }
    [ "$(stat -c %s "$dir/$name")" = "$size" ] || { log "size mismatch: $name"; exit 1; }
  done < <(awk '/^Checksums-Sha256:/ {on=1; next} /^[^ ]/ {on=0} on {print $1, $2, $3}' "$dsc")
  return $((missing * 2))
}

fetch_sources() {
  mkdir -p "$deps/apt/lists/partial" "$deps/apt/cache/archives/partial" "$deps/src"
  derive_deb_src_lines > "$deps/apt/sources.list"
  [ -s "$deps/apt/sources.list" ] || { log "no deb entries found in the machine's apt sources"; exit 1; }
  local apt_opts=(-o "Dir::Etc::SourceList=$deps/apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
                  -o "Dir::State::Lists=$deps/apt/lists" -o "Dir::Cache=$deps/apt/cache")
  local need=0 p
  for p in "${source_packages[@]}"; do [ -f "$deps/src/$p.ok" ] || need=1; done
  if [ $need = 0 ]; then log "source packages already fetched and verified"; return; fi

  log "updating private deb-src lists"
  apt-get "${apt_opts[@]}" update -qq
  for p in "${source_packages[@]}"; do
    [ -f "$deps/src/$p.ok" ] && continue
    local work="$deps/src/$p.dl"
    rm -rf "$work"; mkdir -p "$work"
    log "fetching source package $p"
    # A missing Debian patch archive (seen once for qr-code-generator) makes
    # apt-get fail; keep whatever it got and let the .dsc check judge.
    (cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq "$p" >/dev/null 2>&1) || log "  apt-get source $p reported an error; checking what arrived"
    local dsc
    dsc=$(ls "$work"/*.dsc 2>/dev/null | head -n 1) || true
    [ -n "$dsc" ] || { log "no .dsc for $p"; exit 1; }
    local rc=0; verify_dsc "$dsc" || rc=$?
    local dest="$deps/src/$p"
    rm -rf "$dest"
    if [ $rc = 0 ]; then
      dpkg-source --no-check -x "$dsc" "$dest" >/dev/null   # checksums were verified above
    else
      # Only the upstream tarball is required; Debian's patch archive is not.
      local orig
      orig=$(ls "$work"/*.orig.tar.* 2>/dev/null | grep -v '\.asc$' | head -n 1) || true
      [ -n "$orig" ] || { log "upstream tarball of $p is missing"; exit 1; }
      log "  using the upstream tarball alone for $p"
      mkdir -p "$dest"; tar -xf "$orig" -C "$dest" --strip-components=1
    fi
    basename "$dsc" > "$deps/src/$p.ok"
    log "  $p ready: $(cat "$deps/src/$p.ok")"
  done
}

# The Node packages of pgsim's proofs (tests/pgsim/node), exactly as locked.
# Node.js and npm are the machine's own: Debian bookworm's nodejs is 18, too
# old for playwright-core.
install_node_packages() {
  local dir="$repo/tests/pgsim/node" want
  command -v node >/dev/null && command -v npm >/dev/null || { log "node and npm are needed (Node.js >= 20)"; exit 1; }
  [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || { log "tests/pgsim/node needs Node.js >= 20, found $(node --version)"; exit 1; }
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$dir/node_modules/.lock-sha256" 2>/dev/null)" = "$want" ]; then log "node packages already installed"; return; fi
  log "npm ci in tests/pgsim/node"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  echo "$want" > "$dir/node_modules/.lock-sha256"
}

install_host_packages
install_node_packages
fetch_sources
log "done"
