#!/usr/bin/env bash
# Browser check of a gradncp report page: loads REPORT.html in headless Chromium, saves a
# screenshot to OUT.png, and fails (exit 1) on any JavaScript error, console.error, failed
# resource load, or <img> that did not decode (naturalWidth == 0).
#
# How: a copy of the page gets a probe script as the first element of <head>. It records
# window errors (capture phase, so failed <img>/<link> loads count too) and console.error calls,
# and on window load checks every image; the verdict is written into the DOM as
# <meta name="gradncp-check" content="OK ..."> or "FAIL ...", which --dump-dom prints. A page
# that never reaches "load" leaves no marker and fails too. Only the page is copied to a temporary
# folder, so a reference to a file next to it (not self-contained) shows up as a broken image.
#   scripts/check_report.sh runs/report/report.html /tmp/report.png
# The screenshot is 1280 px wide and CHECK_REPORT_HEIGHT (default 7000) px tall.
set -euo pipefail

die() { echo "check_report: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || die "usage: $0 REPORT.html OUT.png"
page=$1
shot=$2
[[ -f "$page" ]] || die "no such page: $page"
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[[ -n "$browser" ]] || die "no Chromium found; install it with: apt-get install -y chromium"
grep -qi '<head>' "$page" || die "$page has no <head> to put the probe in"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
probe='<script>(function(){var bad=[];
window.addEventListener("error",function(e){var t=e.target;
 bad.push(t&&t!==window&&(t.src||t.href)?"failed to load "+String(t.src||t.href).slice(0,80):"error: "+e.message);},true);
window.addEventListener("unhandledrejection",function(e){bad.push("unhandled rejection: "+e.reason);});
var ce=console.error;console.error=function(){bad.push("console.error: "+Array.prototype.join.call(arguments," "));ce.apply(console,arguments);};
window.addEventListener("load",function(){var imgs=document.images;
 for(var i=0;i<imgs.length;i++){if(!imgs[i].complete||imgs[i].naturalWidth===0){bad.push("broken image #"+i+" ("+(imgs[i].alt||"no alt")+")");}}
 var m=document.createElement("meta");m.name="gradncp-check";
 m.content=(bad.length?"FAIL ":"OK ")+imgs.length+" images; "+bad.join(" | ");document.head.appendChild(m);});})();</script>'
# the probe goes right after <head> so it runs before anything else on the page
# (index/substr, not sub(): the probe contains '&', which sub() would replace by the match)
awk -v probe="$probe" '!done && (i = index($0, "<head>")) { $0 = substr($0, 1, i + 5) probe substr($0, i + 6); done = 1 }
    { print }' "$page" > "$work/page.html"

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
    --disable-component-update --disable-sync --hide-scrollbars --virtual-time-budget=10000)
dom=$("$browser" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" --dump-dom "file://$work/page.html" \
    2>"$work/dom.log") || die "chromium failed to load the page (see below)$(printf '\n')$(tail -5 "$work/dom.log")"
marker=$(grep -o '<meta name="gradncp-check" content="[^"]*"' <<<"$dom" | sed 's/.*content="//; s/"$//' || true)
"$browser" "${flags[@]}" --user-data-dir="$(mktemp -d -p "$work")" --window-size=1280,"${CHECK_REPORT_HEIGHT:-7000}" \
    --screenshot="$(realpath -m "$shot")" "file://$work/page.html" 2>"$work/shot.log" \
    || die "chromium could not take the screenshot$(printf '\n')$(tail -5 "$work/shot.log")"
[[ -s "$shot" ]] || die "no screenshot written to $shot"
[[ -n "$marker" ]] || die "FAIL: the page never finished loading (no check marker in the DOM)"
echo "check_report: $marker"
echo "check_report: screenshot $shot"
[[ "$marker" == OK* ]] || exit 1
