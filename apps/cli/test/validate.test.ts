import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { manifestJsonSchema } from '@vrm-lora/manifest';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, sharedAssetsDir, sharedExamplesDir } from '../../../test/support/shared-assets.js';

// Runs the BUILT command line (build first: pnpm --filter @vrm-lora/manifest build && pnpm --filter vrm-lora build).
const cli = path.join(repoRoot, 'apps', 'cli', 'dist', 'main.js');
const examples = sharedExamplesDir();
const assets = sharedAssetsDir();
const exampleFile = examples ? path.join(examples, 'characterstudio-manifest.json') : null;
let dir = '';

beforeAll(() => {
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run pnpm build first`);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vrm-lora-cli-validate-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  return execa('node', [cli, ...args], { cwd: dir, reject: false, env: { NO_COLOR: '1' } });
}

describe.skipIf(!exampleFile)('vrm-lora validate on CharacterStudio’s example', () => {
  const raw = exampleFile ? JSON.parse(fs.readFileSync(exampleFile, 'utf8')) : { dataCollection: [] };
  const clips: string[] = [
    ...new Set<string>(raw.dataCollection.map((e: { animationPath: string }) => e.animationPath)),
  ];

  it.skipIf(!assets)('--animations ../shared/assets/fbx: exactly the missing clips, exit 2', async () => {
    const fbx = path.join(assets!, 'fbx');
    const present = new Set(fs.readdirSync(fbx));
    const missing = clips.filter((c) => !present.has(c));
    const result = await run(['validate', exampleFile!, '--animations', fbx]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines.at(-1)).toBe(`${missing.length} errors, 0 warnings`);
    // The hint counts the entries the missing clips stop (33 of 46 with today's assets) and the way on.
    const entries: { animationPath: string }[] = raw.dataCollection;
    const stopped = entries.filter((e) => missing.includes(e.animationPath)).length;
    expect(lines.at(-2)).toBe(
      `${missing.length} animation files not found, used by ${stopped} of ${entries.length} entries: add them to ${fbx}, point --animations at the folder that has them, or run the other ${entries.length - stopped} with --skip-missing-animations`,
    );
    const findingLines = lines.slice(0, -2);
    expect(findingLines).toHaveLength(missing.length);
    const reported = findingLines.map((line) => {
      const m =
        /^(.*): (dataCollection\[\d+\]\.animationPath): animation file not found: (.*?) \(looked in the --animations folder\)/.exec(
          line,
        );
      expect(m, line).not.toBeNull();
      expect(m![1]).toBe(exampleFile);
      return path.basename(m![3]!);
    });
    expect(reported.sort()).toEqual(missing.sort());
  });

  it('a folder with all 38 clips (empty placeholders): exit 0 and the summary', async () => {
    const folder = path.join(dir, 'clips');
    fs.mkdirSync(folder, { recursive: true });
    for (const clip of clips) fs.writeFileSync(path.join(folder, clip), '');
    const result = await run(['validate', exampleFile!, '--animations', 'clips']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.replace(exampleFile!, '<example>')).toMatchInlineSnapshot(`
      "<example>: valid
        entries:     46
        animations:  38 distinct, files from clips
        frames:      fullShot 38, cowboyShot 2, mediumShot 6
        cameras:     front 14, left 7, custom 6, front-left 6, back-right 3, front-left-top 3, back 2, front-top 2, back-left 1, front-bottom 1, right 1
        image sizes: 1024x1024 46
        avatars:     none yet (pass --vrm <file> or set "avatar" in the manifest)
        captions:    trigger "anata", template "{trigger} {description} {background}", .txt
        warnings:    0"
    `);
  });

  it('--json: the same findings as JSON', async () => {
    const result = await run([
      'validate',
      exampleFile!,
      '--animations',
      path.join(dir, 'empty-folder'),
      '--json',
    ]);
    expect(result.exitCode).toBe(2);
    const out = JSON.parse(result.stdout);
    expect(out.valid).toBe(false);
    expect(out.summary).toBeNull();
    expect(out.findings).toHaveLength(38);
    expect(out.findings[0]).toEqual({
      severity: 'error',
      file: exampleFile,
      path: 'dataCollection[0].animationPath',
      message: `animation file not found: ${path.join(dir, 'empty-folder', 'Walking.fbx')} (looked in the --animations folder)`,
    });
  });

  it('--vrm that does not exist is an error naming the file', async () => {
    const folder = path.join(dir, 'clips');
    const result = await run(['validate', exampleFile!, '--animations', folder, '--vrm', 'missing.vrm']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe(`missing.vrm: VRM file not found (given with --vrm)\n1 error, 0 warnings`);
  });

  it('--vrm that is not a VRM is refused as run refuses it, from its header', async () => {
    const folder = path.join(dir, 'clips');
    fs.writeFileSync(path.join(dir, 'notes.vrm'), 'these are notes, not an avatar');
    const result = await run(['validate', exampleFile!, '--animations', folder, '--vrm', 'notes.vrm']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe(
      `notes.vrm: is not binary glTF, not a VRM file (a VRM is binary glTF and starts with "glTF"); give the avatar's .vrm file\n1 error, 0 warnings`,
    );
  });
});

describe('vrm-lora validate on bad input: findings, exit 2, never a stack trace', () => {
  it('invalid JSON gives line and column', async () => {
    fs.writeFileSync(path.join(dir, 'broken.json'), '{\n  "width": 512\n  "dataCollection": []\n}\n');
    const result = await run(['validate', 'broken.json']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchInlineSnapshot(`
      "broken.json: invalid JSON at line 3, column 3: unexpected '"'; expected "," or "}" after a property value (missing comma?)
      1 error, 0 warnings"
    `);
  });

  it('several problems at once, with paths and suggestions', async () => {
    const manifest = {
      widht: 512,
      dataCollection: [
        { animationPath: 'builtin:waving', cameraFrame: 'fullshoot', description: 'a' },
        { animationPath: 'builtin:waving', cameraPosition: 'frnot-left', description: 'b' },
      ],
    };
    fs.writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(manifest));
    const result = await run(['validate', 'bad.json']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatchInlineSnapshot(`
      "bad.json: widht: unknown key "widht"; did you mean "width"?
      bad.json: dataCollection[0].cameraFrame: unknown camera frame "fullshoot"; allowed (any case): fullShot, cowboyShot, mediumShot, mediumCloseUp, closeUp; did you mean "fullShot"?
      bad.json: dataCollection[1].cameraPosition: unknown camera direction "frnot" in "frnot-left"; use names joined by "-" (left, right, top/up, bottom/down, front/forward, back/backward) or 3 numbers [x, y, z]; did you mean "front-left"?
      3 errors, 0 warnings"
    `);
  });

  it('a missing manifest file', async () => {
    const result = await run(['validate', 'nope.json']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('nope.json: file not found\n1 error, 0 warnings');
  });

  it('no manifest argument is a usage error (exit 2)', async () => {
    const result = await run(['validate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("missing required argument 'manifest'");
  });
});

describe('vrm-lora schema and init', () => {
  it('schema prints the JSON Schema generated from the zod schema', async () => {
    const result = await run(['schema']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(manifestJsonSchema());
  });

  it('schema -o writes the file', async () => {
    const result = await run(['schema', '-o', 'out/schema.json']);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'out', 'schema.json'), 'utf8'))).toEqual(
      manifestJsonSchema(),
    );
  });

  it('examples/manifest.schema.json is up to date (regenerate: vrm-lora schema -o examples/manifest.schema.json)', () => {
    const committed = JSON.parse(
      fs.readFileSync(path.join(repoRoot, 'examples', 'manifest.schema.json'), 'utf8'),
    );
    expect(committed).toEqual(manifestJsonSchema());
  });

  it('examples/demo-manifest.json is valid', async () => {
    const result = await run(['validate', path.join(repoRoot, 'examples', 'demo-manifest.json')]);
    expect(result.stdout).toContain(': valid\n');
    expect(result.exitCode).toBe(0);
  });

  it('init writes a starter manifest with $schema and the schema beside it; it validates; no silent overwrite', async () => {
    const result = await run(['init', 'starter']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatchInlineSnapshot(`
      "wrote starter/manifest.json and manifest.schema.json beside it.

      Next:
        1. Edit it: put Mixamo .fbx / .vrma clips in the animations/ folder beside it and name them in
           "animationPath" (built-in poses such as "builtin:waving" need no file).
        2. vrm-lora validate starter/manifest.json --vrm your-avatar.vrm
        3. vrm-lora run starter/manifest.json --vrm your-avatar.vrm --out dataset
      Every field is described in docs/manifest.md; editors complete them from the schema."
    `);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'starter', 'manifest.json'), 'utf8'));
    expect(manifest.$schema).toBe('./manifest.schema.json');
    expect(fs.statSync(path.join(dir, 'starter', 'animations')).isDirectory()).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'starter', 'manifest.schema.json'), 'utf8'))).toEqual(
      manifestJsonSchema(),
    );
    const check = await run(['validate', 'starter/manifest.json']);
    expect(check.exitCode).toBe(0);
    const again = await run(['init', 'starter']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain('already exist; pass --force to overwrite');
    expect((await run(['init', 'starter', '--force'])).exitCode).toBe(0);
  });
});
