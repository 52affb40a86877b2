#!/usr/bin/env bash
# What a user installs is what is tested: pack the package as `npm publish` would, install the
# tarball into an empty folder without dev dependencies, and run the installed CLI from there.
# A file missing from `files`, an import of a dev-only package or a `prepare`-time build that an
# install would need shows up here, before a user sees it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# `npm pack` runs `prepare` (the build) first, so the tarball holds a fresh dist/.
tarball="$work/$(npm pack --silent --pack-destination "$work" | tail -n 1)"
echo "packed: $(basename "$tarball") ($(tar -tzf "$tarball" | wc -l) files)"

mkdir "$work/app" "$work/home"
cd "$work/app"
# No package.json, no dev dependencies, and nothing from the repository's node_modules.
npm install --omit=dev --no-audit --no-fund --no-save "$tarball" >/dev/null
bin="$work/app/node_modules/.bin/org-bootstrap"
# `prepare` builds only in a checkout (src/ present): in the installed package, where npm may run it
# for a tarball or git install and TypeScript is absent, it must do nothing and succeed.
(cd node_modules/org-bootstrap && npm run --silent prepare) || { echo "npm run prepare fails in the installed package"; exit 1; }
export HOME="$work/home"

help=$("$bin" --help)
grep -q "^Usage: org-bootstrap" <<<"$help" || { echo "org-bootstrap --help printed no usage:"; echo "$help"; exit 1; }
echo "installed: org-bootstrap $("$bin" --version), --help ok"

out=$("$bin" init --sandbox --yes 2>&1) || { echo "$out"; echo "org-bootstrap init --sandbox --yes failed from the installed package"; exit 1; }
grep -q "^\s*\[sso-session acme\]" <<<"$out" || { echo "$out"; echo "init --sandbox --yes did not show the config it wrote"; exit 1; }
echo "installed: init --sandbox --yes ok (the demo project: the sst.config.ts editor)"

# A project without sst.config.ts: init shows the selector and the full template from templates/.
mkdir "$work/no-sst"
out=$("$bin" init --sandbox --yes --project-dir "$work/no-sst" 2>&1) || { echo "$out"; echo "init --sandbox --yes --project-dir (no sst.config.ts) failed from the installed package"; exit 1; }
grep -q "start from the full template" <<<"$out" || { echo "$out"; echo "init did not show the sst.config.ts template"; exit 1; }
echo "installed: init --sandbox --yes --project-dir ok (no sst.config.ts: the shipped template)"
