#!/usr/bin/env bash
# Install what the PDF step needs: LibreOffice, an uno-capable Python and free
# CJK fonts from system-packages.txt (the one list, beside this file), plus
# Fandol Fang, a free simplified FangSong.  With --with-test-deps, also the
# [test] packages; with --with-bench-deps (make bench), [test] and [bench].
# Run it through `perfdoc doctor --install`.
#
# Fandol Fang ships only inside Debian's texlive-lang-chinese.  Installing that
# package pulls in ~95 TeX packages; its own .deb is 49 MB and unpacks to 98 MB.
# We download that one .deb and keep only FandolFang-Regular.otf (6.9 MB):
# a true 仿宋 face is worth 7 MB, a whole TeX installation is not.
#
# Quiet and fast when everything is already there, so `make demo` and
# `make test` can call it every time.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
LIST="$HERE/system-packages.txt"
FONT_DIR=/usr/local/share/fonts/perfdoc
FANDOL="$FONT_DIR/FandolFang-Regular.otf"

sections="run"
for arg in "$@"; do
  case "$arg" in
    --with-test-deps) sections="$sections test" ;;
    --with-bench-deps) sections="$sections test bench" ;;  # `make bench` only
  esac
done
# The packages of the wanted [sections] of the list, comments left out.
PACKAGES=$(awk -v want=" $sections " '
  /^#/ || NF == 0 { next }
  /^\[/ { section = substr($0, 2, length($0) - 2); next }
  index(want, " " section " ") { printf "%s ", $1 }' "$LIST")

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(soffice)
command -v fc-match >/dev/null 2>&1 || missing+=(fc-match)
/usr/bin/python3 -c 'import uno' >/dev/null 2>&1 || missing+=(python3-uno)
fonts=$(fc-list : family 2>/dev/null || true)
grep -q "Noto Serif CJK SC" <<<"$fonts" || missing+=(fonts-noto-cjk)
grep -q "KaitiM GB" <<<"$fonts" || missing+=(fonts-arphic-gkai00mp)
grep -q "Liberation Serif" <<<"$fonts" || missing+=(fonts-liberation2)
[ -f "$FANDOL" ] || missing+=(FandolFang)
case " $sections " in *" test "*)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
esac
case " $sections " in *" bench "*)
  command -v pandoc >/dev/null 2>&1 || missing+=(pandoc) ;;
esac

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "perfdoc: installing system packages for: ${missing[*]}"

if ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<MSG
perfdoc: this is not a Debian or Ubuntu system, so nothing was installed.
Install by hand: LibreOffice (Writer), its Python-UNO bridge, fontconfig,
Noto CJK SC fonts and a Kai font; optionally Fandol Fang (from CTAN's
"fandol" package) into $FONT_DIR.
Without LibreOffice, 'perfdoc build --format docx' still works.
MSG
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null

if [ ! -f "$FANDOL" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && apt-get download -qq texlive-lang-chinese)
  dpkg-deb --fsys-tarfile "$tmp"/texlive-lang-chinese_*.deb \
    | tar -x -C "$tmp" --wildcards '*/fandol/FandolFang-Regular.otf'
  $SUDO mkdir -p "$FONT_DIR"
  $SUDO cp "$(find "$tmp" -name FandolFang-Regular.otf | head -n 1)" "$FANDOL"
  $SUDO fc-cache -f >/dev/null
fi
echo "perfdoc: system packages ready"
