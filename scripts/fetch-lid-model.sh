#!/usr/bin/env bash
# fetch-lid-model.sh — put fastText's lid.176.ftz language-ID model in winnow's cache.
#
# The model (176 languages, 938,013 bytes, quantized) is by Facebook and licensed
# CC-BY-SA-3.0. It is not part of winnow's repository: this script takes it from
# the npm package fasttext.wasm.js@1.0.0, which ships it as
# dist/fastText/models/lid.176.ftz, checks its SHA-256 and copies it to
#
#     ${WINNOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/winnow}/lid.176.ftz
#
# and prints that path. Use it with `winnow langid --model PATH` or the langid
# stage's `model:` key. Needs npm and tar. Running it again is a no-op when the
# file is already there with the right hash.
set -euo pipefail

want_sha=8f3472cfe8738a7b6099e8e999c3cbfae0dcd15696aac7d7738a8039db603e83
pkg=fasttext.wasm.js@1.0.0
member=package/dist/fastText/models/lid.176.ftz

cache=${WINNOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/winnow}
dest=$cache/lid.176.ftz

sha() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f $dest && $(sha "$dest") == "$want_sha" ]]; then
	echo "$dest"
	exit 0
fi

command -v npm >/dev/null || { echo "fetch-lid-model: npm not found (apt-get install -y npm)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
tar -xzf "$tmp"/fasttext.wasm.js-1.0.0.tgz -C "$tmp" "$member"
got=$(sha "$tmp/$member")
if [[ $got != "$want_sha" ]]; then
	echo "fetch-lid-model: sha256 mismatch: got $got, want $want_sha" >&2
	exit 1
fi
mkdir -p "$cache"
cp "$tmp/$member" "$dest.tmp"
mv "$dest.tmp" "$dest"
echo "$dest"
