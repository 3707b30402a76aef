import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/shared-assets.js';

/** Which workspace packages each package may depend on. Stages meet only through `@vrm-lora/manifest`. */
const allowedEdges: Record<string, string[]> = {
  '@vrm-lora/manifest': [],
  '@vrm-lora/pose-baker': ['@vrm-lora/manifest'],
  '@vrm-lora/renderer': ['@vrm-lora/manifest', '@vrm-lora/mannequin'],
  '@vrm-lora/mannequin': [],
  '@vrm-lora/post': ['@vrm-lora/manifest'],
  '@vrm-lora/captioner': ['@vrm-lora/manifest'],
  '@vrm-lora/dataset': ['@vrm-lora/manifest'],
  '@vrm-lora/pipeline': [
    '@vrm-lora/manifest',
    '@vrm-lora/pose-baker',
    '@vrm-lora/renderer',
    '@vrm-lora/post',
    '@vrm-lora/captioner',
    '@vrm-lora/dataset',
    '@vrm-lora/mannequin',
  ],
  '@vrm-lora/watch': ['@vrm-lora/manifest', '@vrm-lora/pipeline'],
  // The farm drives whole runs through the pipeline and puts them on a queue; no stage knows of it.
  '@vrm-lora/farm': ['@vrm-lora/manifest', '@vrm-lora/pipeline'],
  'vrm-lora': ['@vrm-lora/pipeline', '@vrm-lora/manifest', '@vrm-lora/watch', '@vrm-lora/farm'],
};

function workspacePackages(): { dir: string; json: Record<string, unknown> }[] {
  const out: { dir: string; json: Record<string, unknown> }[] = [];
  for (const group of ['packages', 'apps']) {
    for (const name of fs.readdirSync(path.join(repoRoot, group))) {
      const file = path.join(repoRoot, group, name, 'package.json');
      if (fs.existsSync(file))
        out.push({ dir: `${group}/${name}`, json: JSON.parse(fs.readFileSync(file, 'utf8')) });
    }
  }
  return out;
}

describe('workspace hygiene', () => {
  const pkgs = workspacePackages();

  it('knows every package', () => {
    expect(pkgs.map((p) => p.json.name).sort()).toEqual(Object.keys(allowedEdges).sort());
  });

  for (const { dir, json } of pkgs) {
    it(`${dir} depends only on allowed workspace packages`, () => {
      const deps = { ...(json.dependencies as object), ...(json.devDependencies as object) };
      const internal = Object.keys(deps).filter((d) => d.startsWith('@vrm-lora/') || d === 'vrm-lora');
      const forbidden = internal.filter((d) => !allowedEdges[json.name as string]?.includes(d));
      expect(forbidden, `${json.name} must not depend on ${forbidden.join(', ')}`).toEqual([]);
    });

    it(`${dir} source imports only declared workspace packages`, () => {
      const declared = new Set(
        Object.keys({ ...(json.dependencies as object), ...(json.devDependencies as object) }),
      );
      const srcDir = path.join(repoRoot, dir, 'src');
      const bad: string[] = [];
      for (const file of walk(srcDir)) {
        const text = fs.readFileSync(file, 'utf8');
        for (const m of text.matchAll(/from\s+'(@vrm-lora\/[a-z-]+)/g)) {
          if (!declared.has(m[1]!)) bad.push(`${path.relative(repoRoot, file)} imports ${m[1]}`);
        }
      }
      expect(bad).toEqual([]);
    });

    // As remotion's it-tests check each package's exports: a runtime dependency only tests use would be
    // installed for every user; it belongs in devDependencies.
    it(`${dir} runtime dependencies are imported by its source`, () => {
      const sources = [...walk(path.join(repoRoot, dir, 'src'))].map((f) => fs.readFileSync(f, 'utf8'));
      const unused = Object.keys((json.dependencies as object) ?? {}).filter((dep) => {
        const spec = new RegExp(
          `(?:from\\s+|import\\(\\s*|require\\(\\s*)'${dep.replace(/[/.]/g, '\\$&')}(?:/[^']*)?'`,
        );
        return !sources.some((text) => spec.test(text));
      });
      expect(unused, `${json.name}: move ${unused.join(', ')} to devDependencies`).toEqual([]);
    });
  }
});

function* walk(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(ts|mts|js|mjs)$/.test(e.name)) yield p;
  }
}
