// Micro-benchmark of @vrm-lora/post: figures, not pass/fail. Runs `postProcess` on real renders (RGBA
// `render.png` files, e.g. a run's `.vrm-lora-cache/render/**`) the way the pipeline does (grey background, PNG,
// once without and once with a separate mask), then `makeContactSheet` on the final images.
//
//   pnpm --filter @vrm-lora/post build
//   node packages/post/bench/bench-post.mjs [--impl <built index.js>] [--passes N] <folder or .png>...
//
// Folders are searched recursively for `render.png`. `--impl` compares another build (default: ../dist).
// Per image: wall ms and CPU ms (process.cpuUsage: the main thread plus libvips' threads, what competes with
// Chromium for the cores). Pass 1 is cold (as in a CLI run: each image is processed once); later passes are warm,
// their median reported.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
let impl = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'index.js');
let passes = 5;
const inputs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--impl') impl = path.resolve(args[++i] ?? '');
  else if (args[i] === '--passes') passes = Math.max(1, Number(args[++i]));
  else inputs.push(args[i]);
}
if (inputs.length === 0) {
  process.stderr.write(
    'usage: bench-post.mjs [--impl dist/index.js] [--passes N] <folder with render.png files or .png>...\n',
  );
  process.exit(2);
}
const post = await import(pathToFileURL(impl).href);

function findRenders(entry, out = []) {
  if (fs.statSync(entry).isFile()) out.push(entry);
  else {
    for (const name of fs.readdirSync(entry).sort()) {
      const child = path.join(entry, name);
      if (fs.statSync(child).isDirectory()) findRenders(child, out);
      else if (name === 'render.png') out.push(child);
    }
  }
  return out;
}
const files = inputs.flatMap((entry) => findRenders(entry));
const renders = files.map((file) => fs.readFileSync(file));
if (renders.length === 0) throw new Error(`No render.png under ${inputs.join(', ')}.`);

const median = (values) => {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.floor((v.length - 1) / 2)];
};
/** Wall and CPU ms of one call. */
async function time(fn) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}
const fmt = (runs, per = 1) =>
  `wall ${(runs[0].wallMs / per).toFixed(1)} ms cold, ${(median(runs.slice(1).map((r) => r.wallMs)) / per).toFixed(1)} ms warm; ` +
  `cpu ${(runs[0].cpuMs / per).toFixed(1)} ms cold, ${(median(runs.slice(1).map((r) => r.cpuMs)) / per).toFixed(1)} ms warm`;

process.stdout.write(
  `${impl}\n${renders.length} renders (${files[0]}${renders.length > 1 ? ', …' : ''}), ${passes} passes\n`,
);
const background = { kind: 'color', rgb: [64, 64, 64] };
const scenarios = [
  ['postProcess png', { background }],
  ['postProcess png + separate mask', { background, alphaMask: 'separate' }],
  ['postProcess png, alpha kept', { background, alphaMask: 'alpha' }],
];
let finals = [];
for (const [name, options] of scenarios) {
  const runs = [];
  let bytes = 0;
  for (let pass = 0; pass < Math.max(2, passes); pass++) {
    const outputs = [];
    runs.push(
      await time(async () => {
        for (const png of renders) outputs.push(await post.postProcess({ png, ...options }));
      }),
    );
    bytes = outputs.reduce((n, r) => n + r.image.length + (r.mask?.length ?? 0), 0);
    if (name === 'postProcess png') finals = outputs.map((r) => r.image);
  }
  process.stdout.write(
    `${name}: per image ${fmt(runs, renders.length)}; ${(bytes / renders.length / 1024).toFixed(1)} KiB/image\n`,
  );
}
const items = finals.map((image, i) => ({
  image,
  label: `#${i + 1} anata a person doing something seen from the front full shot plain black background`,
}));
const sheetRuns = [];
let sheet;
for (let pass = 0; pass < Math.max(2, passes); pass++) {
  const run = await time(() => post.makeContactSheet(items));
  sheet = run.value;
  sheetRuns.push(run);
}
process.stdout.write(
  `makeContactSheet (${items.length} images): ${fmt(sheetRuns)}; ${(sheet.length / 1024).toFixed(1)} KiB\n`,
);
