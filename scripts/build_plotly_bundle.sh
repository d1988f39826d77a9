#!/usr/bin/env bash
# Builds static/vendor/plotly.js-timeline-4.1.1/plotly-timeline.min.js: a partial plotly.js 4.1.1
# bundle with only the two trace types the timeline chart draws, "scatter" and "bar" (plus the
# core: cartesian axes incl. date axes, shapes, annotations, legend, hover, zoom/pan, modebar).
#
# Why: the timeline page used plotly.js-basic-dist-min 4.1.1 (scatter, bar, pie and the world
# calendars component, ~1.19 MB minified). Pie and calendars are never used by the chart;
# leaving them out makes the file the browser downloads and evaluates before the chart can draw
# smaller (1,003,067 vs 1,191,749 bytes; 352 KB vs 395 KB gzip -9) and cheaper to evaluate
# (measured ~40 % less script time in headless Chromium), so the chart draws sooner cold.
#
# How: the way plotly.js documents partial bundles (CUSTOM_BUNDLE.md, lib/index-basic.js): an
# entry module that takes `plotly.js/lib/core` (which brings scatter) and registers
# `plotly.js/lib/bar` with Plotly.register, bundled and minified with esbuild using the options
# of plotly.js's own esbuild-config.js (IIFE, global name `Plotly`, target es2016) and its
# attribute-metadata stripping (tasks/compress_attributes.js: drops `description`, `role`,
# `hrName`, `requiredOpts`, `otherOpts`, which the dist bundles leave out too). plotly.js's
# `npm run custom-bundle` needs a git checkout and Node 22; this needs only node and npm
# (built with Node 20.20 / npm 11.19; the npm "requires Node 22" engine warnings are harmless).
#
# Reproducible: exact versions of plotly.js and esbuild, and every other dependency resolved as
# the registry stood on NPM_BEFORE (npm --before), in a throwaway directory under $TMPDIR.
# Nothing is installed into the project. Prints the sha256 and sizes of what it wrote; the
# vendored bundle's sha256 is 5b4002c57e6d9fa6997da36eb1e1323e0cd8b9ff348f3583d8c44cd58f825783.
#
#   scripts/build_plotly_bundle.sh            # writes the bundle and LICENSE beside it
set -euo pipefail

PLOTLY_VERSION=4.1.1
ESBUILD_VERSION=0.28.2
NPM_BEFORE=2026-09-15T00:00:00Z   # the day after plotly.js 4.1.1 was published

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT_DIR="$ROOT/static/vendor/plotly.js-timeline-$PLOTLY_VERSION"
OUT="$OUT_DIR/plotly-timeline.min.js"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/plotly-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

cat > package.json <<EOF
{"name": "plotly-timeline-bundle", "version": "0.0.0", "private": true}
EOF
npm install --no-audit --no-fund --ignore-scripts --save-exact --before="$NPM_BEFORE" \
  "plotly.js@$PLOTLY_VERSION" "esbuild@$ESBUILD_VERSION" >&2

# The partial bundle's entry: core (scatter included) + bar, as lib/index-basic.js does.
cat > entry.js <<'EOF'
'use strict';
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
]);
module.exports = Plotly;
EOF

cat > build.mjs <<'EOF'
import { build } from 'esbuild';
import fs from 'node:fs';

const [outfile, version] = process.argv.slice(2);

// plotly.js tasks/compress_attributes.js: strip attribute metadata used only for docs/schema.
const WS = '\\s*', COMMA = ',?';
const re = (s) => new RegExp(WS + s + COMMA, 'g');
const strings = (a) => re(a + ": '.*'");
const joined = (a) => re(a + ': \\[[\\s\\S]*?\\]' + '\\.join\\([\\s\\S]*?\\)');
const arrays = (a) => re(a + ': \\[[\\s\\S]*?\\]');
const META = [strings('description'), joined('description'), arrays('requiredOpts'),
              arrays('otherOpts'), strings('role'), strings('hrName')];
const stripMeta = {
    name: 'strip-meta-attributes',
    setup(b) {
        b.onLoad({ filter: /[\\/]node_modules[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, async (args) => {
            let code = await fs.promises.readFile(args.path, 'utf8');
            for (const r of META) code = code.replace(r, '');
            return { contents: code, loader: 'js' };
        });
    },
};

await build({
    entryPoints: ['entry.js'],
    outfile,
    bundle: true,
    format: 'iife',
    globalName: 'Plotly',
    minify: true,
    sourcemap: false,
    target: 'es2016',
    legalComments: 'eof',
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    plugins: [stripMeta],
    banner: { js: [
        '/**',
        `* plotly.js (timeline: scatter, bar - minified) v${version}`,
        '* Copyright 2012-2026, Plotly, Inc.',
        '* All rights reserved.',
        '* Licensed under the MIT license',
        '* Partial bundle built by scripts/build_plotly_bundle.sh',
        '*/',
    ].join('\n') },
    footer: { js: 'window.Plotly = Plotly;' },
    logLevel: 'warning',
});
EOF

mkdir -p "$OUT_DIR"
node build.mjs "$WORK/plotly-timeline.min.js" "$PLOTLY_VERSION"

# Sanity check: the version string is in the bundle (check in a browser that Plotly.version matches).
grep -qF "\"$PLOTLY_VERSION\"" "$WORK/plotly-timeline.min.js" \
  || { echo "bundle does not contain version $PLOTLY_VERSION" >&2; exit 1; }

cp "$WORK/plotly-timeline.min.js" "$OUT"
cp node_modules/plotly.js/LICENSE "$OUT_DIR/LICENSE"

raw=$(wc -c < "$OUT")
gz=$(gzip -9 -c "$OUT" | wc -c)
echo "wrote $OUT ($raw bytes, $gz bytes gzip -9)" >&2
sha256sum "$OUT" "$OUT_DIR/LICENSE"
