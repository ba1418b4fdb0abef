#!/usr/bin/env bash
# check-html.sh OUT.html SHOT.png — loads a self-contained HTML page in headless Chromium
# (Debian package `chromium`) and fails (exit 1) when:
#  - the browser logs a console message (the report has no script: any message is an error,
#    e.g. a parse or resource error), or reports a failed load;
#  - the parsed DOM (--dump-dom) lacks the page's <section>s or inline <svg> charts;
#  - the screenshot SHOT.png is missing or blank: fewer than MIN_COLOURS distinct colours or
#    fewer than MIN_INK per mille of pixels that differ from the background colour.
# Environment: CHROMIUM (default: chromium, chromium-browser), MIN_COLOURS (default 32),
# MIN_INK (default 20),
# WINDOW (default 1200,2400). Needs python3 (standard library only) to read the PNG.
set -u
html=${1:?usage: check-html.sh OUT.html SHOT.png}
shot=${2:?usage: check-html.sh OUT.html SHOT.png}
min_colours=${MIN_COLOURS:-32}
min_ink=${MIN_INK:-20}
window=${WINDOW:-1200,2400}
browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$browser" ] || { echo "check-html: chromium not found (apt-get install chromium)"; exit 1; }
[ -f "$html" ] || { echo "check-html: $html: no such file"; exit 1; }
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Root in CI containers: Chromium's sandbox needs user namespaces; a local file with no
# script is what it loads, so --no-sandbox is acceptable here.
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
       --disable-extensions --disable-background-networking --hide-scrollbars
       --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0)
rm -f "$shot"
timeout 120 "$browser" "${flags[@]}" --window-size="$window" --screenshot="$shot" "$url" \
  >"$tmp/shot.out" 2>"$tmp/shot.err"
rc=$?
timeout 120 "$browser" "${flags[@]}" --dump-dom "$url" >"$tmp/dom.html" 2>"$tmp/dom.err"
rc2=$?
fail=0
if [ $rc -ne 0 ] || [ $rc2 -ne 0 ]; then
  echo "check-html: chromium exited with $rc (screenshot) / $rc2 (dump-dom)"; fail=1
fi
if grep -h -E 'CONSOLE|Uncaught|net::ERR_|Failed to load' "$tmp/shot.err" "$tmp/dom.err"; then
  echo "check-html: console errors while loading $html (above)"; fail=1
fi
want_svg=$(grep -o '<svg[ >]' "$html" | wc -l)
got_svg=$(grep -o '<svg[ >]' "$tmp/dom.html" | wc -l)
want_sec=$(grep -o '<section[ >]' "$html" | wc -l)
got_sec=$(grep -o '<section[ >]' "$tmp/dom.html" | wc -l)
if [ "$got_svg" -ne "$want_svg" ] || [ "$got_sec" -ne "$want_sec" ] || [ "$got_svg" -eq 0 ]; then
  echo "check-html: the browser's DOM has $got_svg <svg> and $got_sec <section> (the file: $want_svg, $want_sec)"; fail=1
fi
if [ ! -s "$shot" ]; then
  echo "check-html: no screenshot written"; cat "$tmp/shot.err"; exit 1
fi
read -r colours ink < <(python3 - "$shot" <<'PY'
import struct, sys, zlib
# Distinct colours of an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes).
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, w = 8, b'', 0
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
        assert depth == 8 and ctype in (2, 6) and interlace == 0, 'unsupported PNG'
        bpp = 3 if ctype == 2 else 4
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
seen = {}
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride): line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        for i in range(stride): line[i] = (line[i] + prev[i]) & 255
    elif f == 3:
        for i in range(stride): line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:  # sample every 4th row: enough to see text, charts and colours
        for i in range(0, stride, bpp):
            k = bytes(line[i:i + 3])
            seen[k] = seen.get(k, 0) + 1
    prev = line
total = sum(seen.values())
# distinct colours, and per mille of pixels that differ from the background (commonest colour)
print(len(seen), (total - max(seen.values())) * 1000 // total)
PY
)
if ! [ "${colours:-0}" -ge "$min_colours" ] 2>/dev/null || ! [ "${ink:-0}" -ge "$min_ink" ] 2>/dev/null; then
  echo "check-html: screenshot $shot looks blank: ${colours:-?} distinct colours (want >= $min_colours)," \
       "${ink:-?} per mille of non-background pixels (want >= $min_ink)"; fail=1
fi
[ $fail -eq 0 ] && echo "check-html: ok: $html ($got_svg charts, $got_sec sections; $shot: $colours colours, $ink per mille ink)"
exit $fail
