import fs from 'node:fs/promises';
import { type ResolvedPlan, type ResolvedShot, renderMetaSchema } from '@vrm-lora/manifest';
import { postProcess } from '@vrm-lora/post';
import type { PostValue } from './entry-state.js';
import { expectedMargins } from './post-margins.js';

/**
 * The post stage's work for one rendered shot: background, format and mask, and the margin checks chosen by
 * the framing the renderer reports in its meta (part of the upstream render item).
 */
export async function runPost(
  plan: ResolvedPlan,
  shot: ResolvedShot,
  render: { png: string; meta: string },
): Promise<{ value: PostValue; files: Record<string, Uint8Array>; warnings: string[] }> {
  const meta = renderMetaSchema
    .pick({ framing: true, bounds: true, width: true, height: true })
    .parse(JSON.parse(await fs.readFile(render.meta, 'utf8')));
  const expected = expectedMargins(shot, meta);
  const result = await postProcess({
    png: await fs.readFile(render.png),
    background: shot.background,
    format: plan.image.format,
    quality: plan.image.quality,
    alphaMask: plan.image.alphaMask,
    ...(expected ? { expected } : {}),
    entryLabel: `${shot.jsonPath} (entry ${shot.number})`,
  });
  const files: Record<string, Uint8Array> = { [`image.${result.extension}`]: result.image };
  if (result.mask) files['mask.png'] = result.mask;
  return {
    value: {
      extension: result.extension,
      measured: result.measured,
      warnings: result.warnings,
      hasMask: !!result.mask,
    },
    files,
    warnings: result.warnings,
  };
}
