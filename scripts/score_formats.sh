#!/usr/bin/env bash
# Score the seed letters through each converted format (tests/data/formats/KIND, built by
# scripts/make_ingest_fixtures.py) with ../shared/eval/score.py, next to their plain text.
# The gold names .txt files; each format's file is linked under that name (ingest sniffs the
# format from the content). Usage: scripts/score_formats.sh [KIND...]
set -euo pipefail
cd "$(dirname "$0")/.."
GOLD=${GOLD:-../shared/eval/seeds.gold.json}
kinds=("$@"); [ ${#kinds[@]} -eq 0 ] && kinds=(text pdf docx tcvn3 vni nfd scan)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for kind in "${kinds[@]}"; do
  mkdir -p "$tmp/$kind"
  for seed in corpus/text/*.txt; do
    stem=$(basename "$seed" .txt)
    if [ "$kind" = text ]; then src=$seed; else src=$(ls tests/data/formats/"$kind"/"$stem".* 2>/dev/null | head -1); fi
    [ -n "$src" ] && ln -s "$PWD/$src" "$tmp/$kind/$stem.txt"
  done
  printf '%-6s ' "$kind"
  python3 ../shared/eval/score.py "$GOLD" --docs "$tmp/$kind" --cmd ".venv/bin/congvan parse --json" | tail -1
done
