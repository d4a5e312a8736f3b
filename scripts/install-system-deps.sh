#!/bin/sh
# Install the Debian packages the test suite uses for real (Chromium, Dovecot IMAP, PostgreSQL; npm fetches
# axe-core) when missing. With --bench also wrk, the HTTP load client the benchmarks use (bench/*.py).
set -eu
need=""
[ "${1:-}" = "--bench" ] && { command -v wrk >/dev/null 2>&1 || need="$need wrk"; }
command -v chromium >/dev/null 2>&1 || need="$need chromium"
command -v dovecot >/dev/null 2>&1 || need="$need dovecot-imapd"
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need="$need postgresql"
command -v npm >/dev/null 2>&1 || need="$need npm"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
echo "installing Debian packages:$need"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need
