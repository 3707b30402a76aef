// Bundles the page (three + three-vrm inside) into dist/page/page.js (and the bench's page-bench.js) with esbuild. Deterministic output:
// no minification, no source map, no timestamps; its sha256 is a runtime fact of every render.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(packageDir, 'package.json'));
const threeVrmVersion = JSON.parse(
  fs.readFileSync(require.resolve('@pixiv/three-vrm/package.json'), 'utf8'),
).version;
const outDir = path.join(packageDir, 'dist', 'page');
fs.mkdirSync(outDir, { recursive: true });
// page.js is the shipped page; page-bench.js adds the bench's `benchDraw` hook (test/bench/measure-floor.mjs).
for (const [entry, file] of [
  ['page-main.ts', 'page.js'],
  ['bench-main.ts', 'page-bench.js'],
]) {
  const result = await build({
    entryPoints: [path.join(packageDir, 'src', 'page', entry)],
    // The bundle's path comments are relative to this folder, not to the caller's working directory: the
    // renderer tests rebuild it from the repository root, and `pnpm build` from the package folder; both must
    // give the same bytes (the bundle's sha256 is in every render key).
    absWorkingDir: packageDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { __THREE_VRM_VERSION__: JSON.stringify(threeVrmVersion) },
  });
  const target = path.join(outDir, file);
  const temp = `${target}.${process.pid}.tmp`;
  fs.writeFileSync(temp, result.outputFiles[0].contents);
  fs.renameSync(temp, target);
}
