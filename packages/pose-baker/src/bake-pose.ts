import type { PoseFile } from '@vrm-lora/manifest';
import { type ClipInput, type LoadClipOptions, loadClip } from './load-clip.js';
import { type SampleAt, type SampleClipOptions, sampleClip } from './sample-clip.js';

export interface BakePoseOptions extends LoadClipOptions, SampleClipOptions {}

/**
 * Loads a clip and samples one pose: `loadClip` + `sampleClip` in one call. To sample one file several
 * times, call `loadClip` once and `sampleClip` per frame instead (parsing is the slow part).
 */
export async function bakePose(
  input: ClipInput,
  at: SampleAt,
  options: BakePoseOptions = {},
): Promise<PoseFile> {
  const clip = await loadClip(input, options.take === undefined ? {} : { take: options.take });
  return sampleClip(clip, at, options);
}
