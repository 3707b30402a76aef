import fs from 'node:fs/promises';
import type { ResolvedPlan, ResolvedShot } from '@vrm-lora/manifest';
import { postProcess, type RawPixels } from '@vrm-lora/post';
import type { PostValue, RenderFacts } from './entry-state.js';
import { expectedMargins } from './post-margins.js';

/**
 * The post stage's work for one rendered shot: background, format and mask, and the margin checks chosen by
 * the framing the renderer reports in its meta (the upstream render item's value). The subject's margins are the
 * meta's bounds (the page measured them on these pixels); the render's pixels come in memory when it was made in
 * this process, else from its PNG.
 */
export async function runPost(
  plan: ResolvedPlan,
  shot: ResolvedShot,
  render: { png: string; meta: RenderFacts; pixels?: RawPixels },
): Promise<{ value: PostValue; files: Record<string, Uint8Array>; warnings: string[] }> {
  const { meta } = render;
  const expected = expectedMargins(shot, meta);
  const result = await postProcess({
    ...(render.pixels ? { pixels: render.pixels } : { png: await fs.readFile(render.png) }),
    subjectBounds: meta.bounds,
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
