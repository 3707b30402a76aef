import type { ResolvedPlan } from './resolved-plan.js';

/** Counts that describe a resolved plan at a glance (what `vrm-lora validate` prints). */
export interface PlanSummary {
  entries: number;
  /** Distinct animations (files by absolute path, built-in poses by name). */
  distinctAnimations: number;
  /** Shots per camera frame, widest frame first; frames with no shot are left out. */
  shotsPerFrame: Record<string, number>;
  /** Shots per camera direction label (`front`, `front-left`, `custom`…), most used first. */
  shotsPerDirection: Record<string, number>;
  /** Distinct image sizes as `WxH`, most used first. */
  imageSizes: Record<string, number>;
  avatars: string[];
  animationsDir: string;
}

/** Counts entries, animations, frames, directions and sizes of a plan. */
export function summarizePlan(plan: ResolvedPlan): PlanSummary {
  const animations = new Set<string>();
  const frames = new Map<string, number>();
  const directions = new Map<string, number>();
  const sizes = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const shot of plan.shots) {
    animations.add(
      shot.animation.kind === 'file' ? `file:${shot.animation.path}` : `builtin:${shot.animation.name}`,
    );
    bump(frames, shot.camera.frame);
    bump(directions, shot.camera.label);
    bump(sizes, `${shot.width}x${shot.height}`);
  }
  const frameOrder = ['fullShot', 'cowboyShot', 'mediumShot', 'mediumCloseUp', 'closeUp'];
  const byCount = (map: Map<string, number>) =>
    Object.fromEntries([...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
  return {
    entries: plan.shots.length,
    distinctAnimations: animations.size,
    shotsPerFrame: Object.fromEntries(
      frameOrder.filter((f) => frames.has(f)).map((f) => [f, frames.get(f) ?? 0] as const),
    ),
    shotsPerDirection: byCount(directions),
    imageSizes: byCount(sizes),
    avatars: plan.avatars,
    animationsDir: plan.animationsDir,
  };
}
