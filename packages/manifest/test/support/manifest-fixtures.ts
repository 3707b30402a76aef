import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LoadManifestOptions, type LoadManifestResult, loadManifest } from '../../src/index.js';

/** A fresh temporary folder, removed by the caller's `afterAll`. */
export function makeTempDir(prefix = 'vrm-lora-manifest-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** The smallest valid manifest: one built-in pose, so no file is needed. */
export function baseManifest(): Record<string, unknown> {
  return {
    width: 512,
    height: 512,
    dataCollection: [baseEntry()],
  };
}

/** A valid entry. */
export function baseEntry(): Record<string, unknown> {
  return {
    animationPath: 'builtin:waving',
    animationFrame: 0,
    cameraPosition: 'front',
    cameraFrame: 'fullShot',
    description: 'a person waving',
  };
}

let counter = 0;

/** Writes `content` (an object → JSON, a string or bytes as is) to a temp file and loads it. */
export async function loadContent(
  dir: string,
  content: unknown,
  options: LoadManifestOptions = {},
): Promise<LoadManifestResult & { file: string }> {
  const file = path.join(dir, `manifest-${++counter}.json`);
  const data =
    typeof content === 'string' || content instanceof Uint8Array ? content : JSON.stringify(content, null, 2);
  fs.writeFileSync(file, data);
  return { ...(await loadManifest(file, { checkFiles: false, ...options })), file };
}

/** `severity path: message` lines of a manifest's findings (file left out: it is always the temp file). */
export async function findingLines(dir: string, content: unknown, options: LoadManifestOptions = {}) {
  const { findings, file, plan } = await loadContent(dir, content, options);
  for (const f of findings) if (f.file !== file) throw new Error(`finding names another file: ${f.file}`);
  if (findings.some((f) => f.severity === 'error') !== (plan === null))
    throw new Error('plan must be null exactly when there are errors');
  return findings.map((f) => `${f.severity} ${f.path}: ${f.message}`);
}

/** A manifest with one field of its first entry replaced (`undefined` deletes it). */
export function withEntry(changes: Record<string, unknown>): Record<string, unknown> {
  const entry: Record<string, unknown> = { ...baseEntry(), ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete entry[k];
  return { ...baseManifest(), dataCollection: [entry] };
}

/** A manifest with top-level fields replaced (`undefined` deletes them). */
export function withTop(changes: Record<string, unknown>): Record<string, unknown> {
  const manifest: Record<string, unknown> = { ...baseManifest(), ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete manifest[k];
  return manifest;
}
