import path from 'node:path';
import type { ResolvedPlan } from '@vrm-lora/manifest';

/** A trigger word from an avatar's file name: `Asian_F_1_Casual.vrm` → `asian_f_1_casual`. */
export function triggerFromFileName(file: string): string {
  const base = path.basename(file).replace(/\.[^.]+$/, '');
  const word = base
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return word || 'avatar';
}

/** An avatar's dataset folder inside a collection's output folder: its trigger word with `-` for `_`. */
export function collectionFolderOf(avatarFile: string): string {
  return triggerFromFileName(avatarFile).replace(/_/g, '-');
}

/**
 * Where one avatar's dataset goes and its trigger word: with several avatars, a sub-folder and a trigger
 * named after the file; with one, the output folder and the plan's trigger.
 */
export function avatarTarget(
  plan: Pick<ResolvedPlan, 'avatars' | 'trigger'>,
  avatarFile: string,
  outDir: string,
): { trigger: string; outDir: string } {
  if (plan.avatars.length <= 1) return { trigger: plan.trigger, outDir };
  return {
    trigger: triggerFromFileName(avatarFile),
    outDir: path.join(outDir, collectionFolderOf(avatarFile)),
  };
}
