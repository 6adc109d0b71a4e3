#!/usr/bin/env bash
# Rebuilds tests/fixtures/voice-note.ogg: real speech (espeak-ng) encoded as OGG/Opus
# mono 48 kHz, the format of a Telegram voice note. Needs Debian's espeak-ng and
# opus-tools (or ffmpeg). The tests use the committed file; run this to change it.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
espeak-ng -v en -s 150 -w "$tmp/speech.wav" "Please remind me to call Anna tomorrow at nine."
if command -v opusenc >/dev/null 2>&1; then
  opusenc --quiet --bitrate 24 "$tmp/speech.wav" tests/fixtures/voice-note.ogg
else
  ffmpeg -loglevel error -y -i "$tmp/speech.wav" -ac 1 -ar 48000 -c:a libopus -b:a 24k tests/fixtures/voice-note.ogg
fi
echo "wrote tests/fixtures/voice-note.ogg ($(stat -c %s tests/fixtures/voice-note.ogg) bytes)"
