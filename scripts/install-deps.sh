#!/usr/bin/env bash
# Installs every Debian 12 package ncbnet needs to build, test and run. Idempotent: it asks apt
# only for what is missing. Runs as root, or through sudo when available.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-dev libboost-system-dev
  libssl-dev openssl libsodium-dev libsqlite3-dev sqlite3
  libpq-dev postgresql
  nlohmann-json3-dev libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libicu-dev iso-codes clang-14 libclang-rt-14-dev clang-format curl
  python3 testssl.sh
  chromium
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
# PostgreSQL is here for the tests, which start throwaway servers of their own
# (tests/pg/pg_server.sh): Debian's package must not create and start a system cluster.
if [[ " ${missing[*]} " == *" postgresql "* ]]; then
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" |
    $SUDO tee /etc/postgresql-common/createcluster.d/ncbnet.conf >/dev/null
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
