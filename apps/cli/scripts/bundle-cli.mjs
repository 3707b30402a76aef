// Bundles the CLI into one file, dist/main.js: Node 20 loads ES modules one file at a time, and the CLI's
// ~130 modules (95 of them zod's) cost ~0.2 s before any work — a no-op re-run took 0.43 s unbundled and
// 0.22 s bundled. Packages that must stay where they are load from their own dist, by a relative path:
// the renderer (finds its page bundle next to itself), post-processing (sharp's native binary), the pose
// baker (imported lazily, it brings three.js), and those libraries themselves.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(packageDir, 'dist');
const KEPT_OUT = [
  /^@vrm-lora\/renderer(\/|$)/,
  /^@vrm-lora\/post$/,
  /^@vrm-lora\/pose-baker$/,
  /^sharp$/,
  /^three(\/|$)/,
  /^@pixiv\//,
  /^playwright-core$/,
  // The queue (and ioredis, its driver) load from where pnpm put them, only for `run --queue` and `worker`.
  /^bullmq$/,
];

/** Imports of the packages above become relative paths from dist/ to where they resolve. */
const loadInPlace = {
  name: 'load-in-place',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.inPlace || !KEPT_OUT.some((pattern) => pattern.test(args.path))) return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: { inPlace: true },
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // Every output file sits directly in dist/ (chunks included), so one relative path fits all.
      let relative = path.relative(outdir, resolved.path).split(path.sep).join('/');
      if (!relative.startsWith('.')) relative = `./${relative}`;
      return { path: relative, external: true };
    });
  },
};

/**
 * jsonc-parser's `main` is a UMD build whose factory `require`s its own files at run time, which a bundle
 * cannot follow; its ES build (`module`) bundles like any other module.
 */
const jsoncParserEsm = {
  name: 'jsonc-parser-esm',
  setup(builder) {
    builder.onResolve({ filter: /^jsonc-parser$/ }, (args) =>
      builder.resolve('jsonc-parser/lib/esm/main.js', { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};

const result = await build({
  // main: the command line; cli-parts: its commands for the fault suite's one-process batch runner.
  entryPoints: {
    main: path.join(packageDir, 'src', 'main.ts'),
    'cli-parts': path.join(packageDir, 'src', 'cli-parts.ts'),
  },
  outdir,
  splitting: true,
  chunkNames: 'chunk-[hash]',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies bundled in (commander's and cli-progress's) call `require` for Node's modules.
  banner: {
    js: "import { createRequire as __vrmLoraRequire } from 'node:module';\nconst require = __vrmLoraRequire(import.meta.url);",
  },
  plugins: [loadInPlace, jsoncParserEsm],
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});

// Chunks of earlier builds (their names are content hashes): removed, so dist/ holds this build only.
const written = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(file)));
for (const name of await fs.readdir(outdir)) {
  const file = path.join(outdir, name);
  if (/^chunk-[A-Z0-9]+\.js$/.test(name) && !written.has(file)) await fs.rm(file);
}
