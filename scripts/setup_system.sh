#!/usr/bin/env bash
# Installs the Debian packages congvan uses, when they are missing and we may install them.
# Where that cannot be done, says what is missing and what will not work, and goes on.
set -u
need=()
command -v tesseract >/dev/null 2>&1 || need+=(tesseract-ocr)
if ! tesseract --list-langs 2>/dev/null | grep -qx vie; then need+=(tesseract-ocr-vie); fi
# the script model reads bold capitals with their spaces (`ĐẢNG ỦY BỘ`); `vie` alone still works
if ! tesseract --list-langs 2>/dev/null | grep -qx Vietnamese; then need+=(tesseract-ocr-script-viet); fi
# headers to build tesserocr (Tesseract in process) against this Tesseract: `make setup` does
pkg-config --exists tesseract lept 2>/dev/null || need+=(libtesseract-dev libleptonica-dev pkg-config)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
[ -d /usr/share/fonts/truetype/liberation2 ] || need+=(fonts-liberation2)  # Vietnamese glyphs, for scripts/make_corpus_pdfs.py
[ -x /usr/bin/chromium ] || need+=(chromium)  # the web page's browser tests (Playwright drives it; nothing downloaded)
command -v dot >/dev/null 2>&1 || need+=(graphviz)
[ ${#need[@]} -eq 0 ] && exit 0

echo "setup: installing system packages: ${need[*]}"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  if apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
    exit 0
  fi
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  if sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; then
    exit 0
  fi
fi
echo "setup: WARNING: could not install ${need[*]}." >&2
echo "setup: without tesseract-ocr and tesseract-ocr-vie, scanned PDFs (no text layer) are reported as failed;" >&2
echo "setup: without libtesseract-dev, OCR runs the tesseract command per page (about 1.5x the CPU);" >&2
echo "setup: without chromium, the web page's browser tests (tests/test_web_browser.py) are skipped;" >&2
echo "setup: without graphviz, \`congvan graph --format svg\` draws with its built-in Python renderer;" >&2
echo "setup: everything else works. Install them with: apt-get install ${need[*]}" >&2
exit 0
