#!/usr/bin/env bash
# Tonight's results join the history and the page is built from all of it.
#   usage: publish-history.sh HISTORY TONIGHT SITE
# HISTORY holds <target>/<stamp>/results.json from earlier nights (it may be empty) and gains
# tonight's; TONIGHT holds the target jobs' artifacts, conformance-<target>/results.json; SITE
# gets index.html with a trend per target. Each target's results are diffed against its newest
# earlier night, into $GITHUB_STEP_SUMMARY (stdout outside Actions). The newest KEEP_NIGHTS
# (default 400) per target are kept, so the artifact stays small.
set -euo pipefail
history=${1:?usage: publish-history.sh HISTORY TONIGHT SITE}
tonight=${2:?usage: publish-history.sh HISTORY TONIGHT SITE}
site=${3:?usage: publish-history.sh HISTORY TONIGHT SITE}
keep=${KEEP_NIGHTS:-400}
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}
stamp=$(date -u +%Y%m%dT%H%M%SZ)-${GITHUB_RUN_ID:-local}
python=${PYTHON:-python}
mkdir -p "$history" "$site"
shopt -s nullglob
for results in "$tonight"/conformance-*/results.json; do
  folder=$(basename "$(dirname "$results")")
  target=${folder#conformance-}
  previous=""
  if [ -d "$history/$target" ]; then
    previous=$(find "$history/$target" -mindepth 2 -maxdepth 2 -name results.json | sort | tail -n 1)
  fi
  if [ -n "$previous" ]; then
    echo "## $target: since the previous night" >> "$summary"
    "$python" -m glue_conformance.reports diff "$previous" "$results" --format md >> "$summary" \
      || echo "(new failures since the previous night: see above)" >> "$summary"
  else
    echo "## $target: first night in the history" >> "$summary"
  fi
  mkdir -p "$history/$target/$stamp"
  cp "$results" "$history/$target/$stamp/results.json"
  find "$history/$target" -mindepth 1 -maxdepth 1 -type d | sort | head -n "-$keep" | xargs -r rm -rf
done
"$python" -m glue_conformance.reports history "$history" --out "$site"
echo "history: $(find "$history" -name results.json | wc -l) runs, page in $site"
