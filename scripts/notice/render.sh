#!/usr/bin/env bash
# Render the demo's results notice (通报) as an office would see it (issue 23, part 4):
# LibreOffice converts the DOCX to PDF, poppler draws the first pages as PNG. Look at the PNGs:
# the body should be a serif 仿宋-class face, the titles unbroken inside a word, the name-list
# annex a few pages.
#
#   scripts/notice/render.sh            # the notice with its name list, and with --annex scores
#   RENDER_PAGES=6 scripts/notice/render.sh
#
# Installs what it needs with apt-get when missing (not part of .ci/run: it is a check to run
# and look at, not a test):
#   libreoffice-writer-nogui  DOCX → PDF
#   poppler-utils             pdfinfo, pdffonts, pdftoppm
#   fonts-noto-cjk            Noto Serif CJK SC (宋体-class serif) and Noto Sans CJK SC (黑体-class)
#   fonts-arphic-gkai00mp     AR PL KaitiM GB, a simplified-Chinese 楷体
# Debian has no free simplified-Chinese 仿宋 (fonts-cwtex-fs is traditional only: half the
# characters of a Hunan notice are missing from it), so 仿宋 is rendered with the closest free
# serif, Noto Serif CJK SC. LibreOffice ignores the DOCX font table's fallbacks and asks
# fontconfig, so a fontconfig file here aliases the GB/T 9704 names (and their Windows
# fallbacks) to these faces. On a machine with the real faces installed, those are used.
#
# Output in target/notice-render/: notice.docx, notice.pdf, notice-N.png (first pages), and the
# same with -scores for the score-table annex. Prints page counts and the fonts the PDF embeds.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$(pwd)"
OUT="$ROOT/target/notice-render"
PAGES="${RENDER_PAGES:-4}"
mkdir -p "$OUT"

need=()
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
FACES="$(fc-list : family 2>/dev/null || true)"
grep -q "Noto Serif CJK" <<<"$FACES" || need+=(fonts-noto-cjk)
grep -q "KaitiM GB" <<<"$FACES" || need+=(fonts-arphic-gkai00mp)
if [ ${#need[@]} -gt 0 ]; then
    echo "== installing ${need[*]}"
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# fontconfig: the notice's faces, and the faces their fallbacks name, to free faces.
FC="$OUT/fontconfig"
mkdir -p "$FC"
alias_to() {
    local target="$1"
    shift
    for name in "$@"; do
        printf '  <alias binding="same"><family>%s</family><prefer><family>%s</family></prefer></alias>\n' "$name" "$target"
    done
}
{
    echo '<?xml version="1.0"?>'
    echo '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">'
    echo '<fontconfig>'
    echo '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
    alias_to "Noto Serif CJK SC" 仿宋_GB2312 仿宋 FangSong 方正小标宋简体 华文中宋 宋体 SimSun
    alias_to "AR PL KaitiM GB" 楷体_GB2312 楷体 KaiTi
    alias_to "Noto Sans CJK SC" 黑体 SimHei
    # 方正小标宋 is a heavy 宋体: the title takes the serif's bold.
    echo '  <match target="pattern"><test name="family"><string>方正小标宋简体</string></test><edit name="weight" mode="assign"><const>bold</const></edit></match>'
    echo '</fontconfig>'
} > "$FC/fonts.conf"
export FONTCONFIG_FILE="$FC/fonts.conf"
for face in 仿宋_GB2312 方正小标宋简体 楷体_GB2312 黑体; do
    echo "   fontconfig: $face → $(fc-match -f '%{family[0]} %{style[0]}' "$face:lang=zh-cn")"
done

# The demo database with its publication: `jili demo` builds, publishes and serves; once it
# serves, the publication is there and the server is stopped.
echo "== building the demo (cargo run -- demo)"
cargo build -q -p jili-cli
DB="$OUT/jili.db"
rm -f "$DB" "$DB-wal" "$DB-shm"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
setsid cargo run -q -p jili-cli -- demo --db "$DB" --addr "127.0.0.1:$PORT" --log-level warn > "$OUT/demo.log" 2>&1 &
DEMO=$!
stop() { kill -- -"$DEMO" 2>/dev/null || true; wait "$DEMO" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 600); do
    grep -q "网站已启动" "$OUT/demo.log" && break
    kill -0 "$DEMO" 2>/dev/null || { cat "$OUT/demo.log"; echo "FAILED: the demo stopped"; exit 1; }
    sleep 1
done
grep -q "网站已启动" "$OUT/demo.log" || { echo "FAILED: the demo did not start in 10 minutes"; exit 1; }
stop
trap - EXIT

PROFILE="$OUT/lo-profile"
render() {
    local name="$1"
    shift
    cargo run -q -p jili-cli -- --db "$DB" publish --show --notice "$OUT/$name.docx" "$@" > /dev/null
    rm -f "$OUT/$name.pdf" "$OUT/$name"-*.png
    soffice -env:UserInstallation="file://$PROFILE" --headless --convert-to pdf --outdir "$OUT" "$OUT/$name.docx" > /dev/null 2>&1
    local pages
    pages="$(pdfinfo "$OUT/$name.pdf" | awk '/^Pages:/ {print $2}')"
    pdftoppm -r 70 -png -f 1 -l "$PAGES" "$OUT/$name.pdf" "$OUT/$name"
    echo "== $name: $pages pages → $OUT/$name.pdf, first $PAGES pages as $OUT/$name-N.png"
    pdffonts "$OUT/$name.pdf" | awk 'NR > 2 {print "   font: " $1}' | sort -u
}
render notice
render notice-scores --annex scores
