import fs from 'node:fs/promises';
import path from 'node:path';
import type { PoseFile } from '@vrm-lora/manifest';

export interface BakeSinglePoseOptions {
  /** An animation file (FBX or VRMA) or `builtin:<name>`. */
  animation: string;
  /** Frame index at the clip's own rate; or give `timeSeconds`. */
  frame?: number;
  timeSeconds?: number;
  take?: string;
  wrap?: boolean;
}

/** Bakes one pose straight from a file, for debugging (`vrm-lora bake --animation X --frame N`). */
export async function bakeSinglePose(options: BakeSinglePoseOptions): Promise<PoseFile> {
  const { loadClip, sampleClip } = await import('@vrm-lora/pose-baker');
  const builtin = /^builtin:(.+)$/.exec(options.animation);
  const clip = builtin
    ? await loadClip({ builtin: builtin[1]! })
    : await loadClip(
        { name: path.basename(options.animation), bytes: await fs.readFile(options.animation) },
        options.take ? { take: options.take } : {},
      );
  const at =
    options.timeSeconds !== undefined ? { timeSeconds: options.timeSeconds } : { frame: options.frame ?? 0 };
  return sampleClip(clip, at, { wrap: options.wrap ?? false });
}
