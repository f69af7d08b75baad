#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for the kiosk and its tests, then the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v socat >/dev/null || need+=(socat)
# PostgreSQL's binaries for the server tests' private clusters; no service needs to run.
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
command -v fc-list >/dev/null && fc-list 2>/dev/null | grep -qi 'Noto Sans CJK' || need+=(fonts-noto-cjk)
# The clip voice's default pack (scripts/voice-clips.ts): spoken by espeak-ng, trimmed and chimed by sox.
command -v espeak-ng >/dev/null || need+=(espeak-ng)
command -v sox >/dev/null || need+=(sox)

if ((${#need[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi

# Regenerated when the clip grammar or the generator changed since the pack was written.
pack=data/voice/default
if [ ! -f "$pack/chime.wav" ] || [ core/voice/clips.ts -nt "$pack/chime.wav" ] || [ scripts/voice-clips.ts -nt "$pack/chime.wav" ]; then
  echo "setup: generating the voice clips"
  node --import tsx scripts/voice-clips.ts --out "$pack"
fi
