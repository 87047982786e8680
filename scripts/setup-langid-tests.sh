#!/usr/bin/env bash
# setup-langid-tests.sh — install what langid's parity tests and
# `winnow bench langid` use; the tests skip with a message without it.
#
#   - Debian's fastText 0.9.2 (packages fasttext, libfasttext-dev): the
#     reference implementation the pure-Go inference is checked against;
#   - Debian's manual pages in 22 languages besides English: real text for
#     the multilingual test set (see langid/mancorpus); their licences are
#     those of each page (mostly GPL and other free licences);
#   - lid.176.ftz via scripts/fetch-lid-model.sh (npm, sha256-checked).
#
# Needs root (apt-get) and npm. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

pkgs=(fasttext libfasttext-dev manpages
	manpages-cs manpages-da manpages-de manpages-el manpages-es manpages-fi
	manpages-fr manpages-hu manpages-id manpages-it manpages-ja manpages-nl
	manpages-pl manpages-pt-br manpages-ro manpages-ru manpages-sv manpages-tr
	manpages-uk manpages-vi manpages-zh)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
./fetch-lid-model.sh
