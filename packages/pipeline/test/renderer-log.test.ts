import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineEvent } from '../src/events.js';
import { runPipeline } from '../src/run-pipeline.js';

// The renderer's log reaches the run's events: an avatar whose texture points at the network is drawn
// without it (the render page reaches nothing outside), and the blocked request is said, not swallowed.

let dir: string;

/** The mannequin with one material's base colour texture at `uri` (a GLB's JSON chunk rewritten). */
function withExternalTexture(glb: Uint8Array, uri: string): Buffer {
  const bytes = Buffer.from(glb);
  const jsonLength = bytes.readUInt32LE(12);
  const json = JSON.parse(bytes.subarray(20, 20 + jsonLength).toString('utf8'));
  json.images = [{ uri }];
  json.textures = [{ source: 0 }];
  json.materials[0].pbrMetallicRoughness.baseColorTexture = { index: 0 };
  let text = JSON.stringify(json);
  while (Buffer.byteLength(text) % 4 !== 0) text += ' ';
  const jsonChunk = Buffer.from(text);
  const rest = bytes.subarray(20 + jsonLength);
  const header = Buffer.alloc(20);
  header.write('glTF', 0);
  header.writeUInt32LE(2, 4);
  header.writeUInt32LE(20 + jsonChunk.length + rest.length, 8);
  header.writeUInt32LE(jsonChunk.length, 12);
  header.writeUInt32LE(0x4e4f534a, 16);
  return Buffer.concat([header, jsonChunk, rest]);
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-renderer-log-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('renderer log', () => {
  it('a blocked request of the render page is a renderer-log event of the run', async () => {
    const vrm = path.join(dir, 'external-texture.vrm');
    await fs.writeFile(
      vrm,
      withExternalTexture(await createMannequinVrm(), 'https://example.invalid/skin.png'),
    );
    const manifestFile = path.join(dir, 'manifest.json');
    await fs.writeFile(
      manifestFile,
      JSON.stringify({
        width: 64,
        height: 64,
        topFrameOffsetPixels: 4,
        bottomFrameOffsetPixels: 4,
        dataCollection: [{ animationPath: 'builtin:t-pose', description: 'a mannequin' }],
      }),
    );
    const events: PipelineEvent[] = [];
    const result = await runPipeline({
      manifestFile,
      vrmPaths: [vrm],
      outDir: path.join(dir, 'out'),
      onEvent: (e) => events.push(e),
    });
    const logs = events.flatMap((e) => (e.type === 'renderer-log' ? [e] : []));
    const blocked = logs.filter((e) => e.line.includes('blocked request'));
    expect(blocked.map((e) => [e.line.includes('https://example.invalid/skin.png'), e.level])).toContainEqual(
      [true, 'notice'],
    );
    // The page's console below error level is chatter (the CLI prints notices only).
    for (const e of logs)
      if (/^page console (warning|log|info|debug):/.test(e.line)) expect(e.level, e.line).toBe('chatter');
    expect(result.summary.written).toBe(1);
  });
});
