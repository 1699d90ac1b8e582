#!/usr/bin/env bash
# e2e: the running gateway's /docs, loaded in headless Chromium (Debian's
# `chromium`, which ./sportello test installs), renders the API reference:
# the DOM after scripts ran lists the operations by their summaries.
# Needs SPORTELLO_TEST_GATEWAY_URL (./sportello test sets it).
set -euo pipefail
url="${SPORTELLO_TEST_GATEWAY_URL:-}"
[[ -n "$url" ]] || { echo "SPORTELLO_TEST_GATEWAY_URL is not set: run the tests with ./sportello test" >&2; exit 1; }
browser="$(command -v chromium || true)"
[[ -n "$browser" ]] || { echo "chromium is missing: ./sportello test installs it (apt-get install chromium)" >&2; exit 1; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
# --no-sandbox: the tests run as root in CI. The virtual time budget lets the
# page's scripts fetch /openapi.json and render before the DOM is dumped.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
  --no-first-run --user-data-dir="$dir/profile" --virtual-time-budget=20000 \
  --dump-dom "$url/docs" >"$dir/dom.html" 2>"$dir/stderr.txt" || {
  tail -n 20 "$dir/stderr.txt" >&2
  echo "chromium failed" >&2
  exit 1
}
fail=0
# Operation summaries from the proto comments, one per service, and the API title.
for text in "Sportello API" "Registers an administration" "CatalogueService" "ComplaintsService"; do
  if grep -qF "$text" "$dir/dom.html"; then
    echo "found: $text"
  else
    echo "missing from the rendered /docs: $text" >&2
    fail=1
  fi
done
operations="$(grep -o 'operation/[A-Za-z]*' "$dir/dom.html" | sort -u | wc -l)"
echo "operations linked in the rendered page: $operations"
((operations >= 30)) || { echo "expected at least 30 operations in /docs" >&2; fail=1; }
((fail == 0)) || { head -c 2000 "$dir/dom.html" >&2; exit 1; }
