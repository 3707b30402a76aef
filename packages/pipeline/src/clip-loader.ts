import fs from 'node:fs/promises';
import type { PoseFile, ResolvedShot } from '@vrm-lora/manifest';
import type { LoadedClip, SampleWrap } from '@vrm-lora/pose-baker';

/** Parses each animation file once per run, however many entries sample it. */
export interface ClipLoader {
  /**
   * The pose of `shot` (its clip parsed on first use; `animationSha256` identifies the file's bytes), and where a
   * frame past the clip's end wrapped to, when it did.
   */
  bake(shot: ResolvedShot, animationSha256: string): Promise<{ pose: PoseFile; wrapped?: SampleWrap }>;
}

/** A clip loader for one run (clips are kept until it is dropped). */
export function createClipLoader(): ClipLoader {
  const clips = new Map<string, Promise<LoadedClip>>();
  return {
    async bake(shot, sha) {
      const take = shot.animation.kind === 'file' ? shot.animation.take : undefined;
      const id = `${sha}:${take ?? ''}`;
      let clip = clips.get(id);
      if (!clip) {
        const anim = shot.animation;
        // The baker (three.js and its loaders) is imported only when a pose must really be baked.
        const loading = import('@vrm-lora/pose-baker').then(async ({ loadClip }) =>
          anim.kind === 'builtin'
            ? loadClip({ builtin: anim.name })
            : loadClip({ name: anim.name, bytes: await fs.readFile(anim.path) }, take ? { take } : {}),
        );
        clips.set(id, loading);
        clip = loading;
      }
      const at =
        shot.sample.kind === 'frame' ? { frame: shot.sample.frame } : { timeSeconds: shot.sample.seconds };
      const { sampleClip } = await import('@vrm-lora/pose-baker');
      let wrapped: SampleWrap | undefined;
      const pose = sampleClip(await clip, at, {
        wrap: shot.wrap,
        onWrap: (w) => {
          wrapped = w;
        },
      });
      return wrapped ? { pose, wrapped } : { pose };
    },
  };
}
