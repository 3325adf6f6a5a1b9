#!/usr/bin/env bash
# The history the last nightly left: the `history` artifact of the newest completed run of this
# workflow on this branch that still has one (a cancelled night, or one whose artifact expired,
# is passed over, so one bad night never resets the trend). Nothing found is not an error: the
# first night starts the history. GitHub failing to answer is said as a warning annotation.
#   usage: previous-history.sh DEST      (needs GH_TOKEN, GITHUB_REPOSITORY; gh is on runners)
set -euo pipefail
dest=${1:?usage: previous-history.sh DEST}
workflow=${NIGHTLY_WORKFLOW:-nightly.yml}
branch=${GITHUB_REF_NAME:-main}
mkdir -p "$dest"
if ! runs=$(gh run list --repo "$GITHUB_REPOSITORY" --workflow "$workflow" --branch "$branch" \
  --status completed --limit 30 --json databaseId --jq '.[].databaseId' 2>&1); then
  echo "::warning::previous history: gh run list failed, the history starts again: $runs"
  exit 0
fi
for id in $runs; do
  [ "$id" = "${GITHUB_RUN_ID:-}" ] && continue
  if error=$(gh run download "$id" --repo "$GITHUB_REPOSITORY" --name history --dir "$dest" 2>&1); then
    echo "previous history: run $id ($(find "$dest" -name results.json | wc -l) results)"
    exit 0
  fi
  echo "previous history: run $id has none (${error//$'\n'/ })"
done
echo "previous history: none (the first night starts it)"
