#!/usr/bin/env bash
# Install the Debian packages the project needs when they are missing.
#
#   scripts/ensure-system-packages.sh [PKG...]     (default: chromium softhsm2)
#
# chromium: browser tests (Playwright drives Debian's /usr/bin/chromium, stack-notes §9).
# softhsm2: PKCS#11 token for signing tests (stack-notes §7).
# gettext:  `make messages`.
# Runs `apt-get update` once, only when something is missing. Without root it installs
# nothing: it says what is missing and how to install it, and exits 0.
set -euo pipefail

if [ $# -eq 0 ]; then
    set -- chromium softhsm2
fi

installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]
}

missing=()
for pkg in "$@"; do
    installed "$pkg" || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "system packages: present ($*)"
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "system packages: missing ${missing[*]} and no apt-get here; install them by hand." >&2
    echo "system packages: tests that need them will fail or be skipped." >&2
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "system packages: missing ${missing[*]}; not root, so not installing." >&2
    echo "system packages: run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    echo "system packages: tests that need them will fail or be skipped." >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "system packages: installing ${missing[*]} (apt-get update + install)"
log=$(mktemp "${TMPDIR:-/tmp}/apt-get.XXXXXX.log")
apt_install() {
    apt-get update -qq >>"$log" 2>&1 && apt-get install -y -qq "${missing[@]}" </dev/null >>"$log" 2>&1
}
if ! apt_install; then
    echo "system packages: apt-get failed; retrying once in 5 s (log: $log)" >&2
    sleep 5
    apt_install || { tail -n 30 "$log" >&2; exit 1; }
fi
rm -f "$log"
for pkg in "${missing[@]}"; do
    installed "$pkg" || { echo "system packages: $pkg still missing after apt-get" >&2; exit 1; }
done
echo "system packages: installed ${missing[*]}"
