#!/usr/bin/env bash
# Tonight's results join the history and the page is built from all of it.
#   usage: publish-history.sh HISTORY TONIGHT SITE
# HISTORY holds <target>/<stamp>/{results.json,report.html} from earlier nights (it may be empty)
# and gains tonight's; TONIGHT holds the target jobs' artifacts, conformance-<target>/; SITE gets
# index.html with a trend per target and, under runs/, every night it links to. Each target is
# diffed against its newest earlier night into $GITHUB_STEP_SUMMARY (stdout outside Actions).
# The newest KEEP_NIGHTS (default 60) per target are kept: about 1.3 MB a night for a moto run,
# so 5 targets stay under 400 MB unpacked (about 20 MB zipped as an artifact).
set -euo pipefail
history=${1:?usage: publish-history.sh HISTORY TONIGHT SITE}
tonight=${2:?usage: publish-history.sh HISTORY TONIGHT SITE}
site=${3:?usage: publish-history.sh HISTORY TONIGHT SITE}
keep=${KEEP_NIGHTS:-60}
summary=${GITHUB_STEP_SUMMARY:-/dev/stdout}
stamp=$(date -u +%Y%m%dT%H%M%SZ)-${GITHUB_RUN_ID:-local}
python=${PYTHON:-python}
mkdir -p "$history" "$site"
shopt -s nullglob
for results in "$tonight"/conformance-*/results.json; do
  folder=$(dirname "$results")
  target=$(basename "$folder")
  target=${target#conformance-}
  previous=""
  if [ -d "$history/$target" ]; then
    previous=$(find "$history/$target" -mindepth 2 -maxdepth 2 -name results.json | sort | tail -n 1)
  fi
  if [ -n "$previous" ]; then
    echo "## $target: since the previous night" >> "$summary"
    status=0
    "$python" -m glue_conformance.reports diff "$previous" "$results" --format md >> "$summary" \
      || status=$?
    case $status in
      0) ;;
      1) echo "**$target: new failures since the previous night (listed above).**" >> "$summary" ;;
      *) echo "**$target: no diff (exit $status): one of the two results could not be read.**" >> "$summary" ;;
    esac
  else
    echo "## $target: first night in the history" >> "$summary"
  fi
  mkdir -p "$history/$target/$stamp"
  cp "$results" "$history/$target/$stamp/results.json"
  if [ -f "$folder/report.html" ]; then cp "$folder/report.html" "$history/$target/$stamp/"; fi
  find "$history/$target" -mindepth 1 -maxdepth 1 -type d | sort | head -n "-$keep" | xargs -r rm -rf
done
# The page links each night's report (or results.json) relatively: the nights go inside the site.
rm -rf "$site/runs"
mkdir -p "$site/runs"
cp -r "$history/." "$site/runs/"
if [ -z "$(find "$site/runs" -name results.json -print -quit)" ]; then
  echo "<!doctype html><title>GetJobRun conformance</title><p>No results yet: no target job left any." \
    > "$site/index.html"
  echo "history: no results yet (every target job failed before writing one)" | tee -a "$summary"
  exit 0
fi
"$python" -m glue_conformance.reports history "$site/runs" --out "$site"
echo "history: $(find "$history" -name results.json | wc -l) runs, page in $site"
