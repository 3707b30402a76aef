import type { ConditioningKind, RenderMeta, ResolvedShot, StageName, StageOutcome } from '@vrm-lora/manifest';
import type { SampleWrap } from '@vrm-lora/pose-baker';
import type { CacheItem } from './cache-store.js';

/** What the bake stage stores beside its pose (null in caches written before wraps were recorded). */
export interface BakeValue {
  /** Set when the frame asked was past the clip's end and wrapped around (CharacterStudio's behaviour). */
  wrapped?: SampleWrap;
  warnings: string[];
}

/**
 * What the stages after the render read of its meta (the whole meta stays in the item's `meta.json`, for users and
 * tools): the image size and the subject's bounds (post's margin checks), the framing mode (which margins to
 * check), the keypoints and exact camera (conditioning images, keypoints.json).
 */
export type RenderFacts = Pick<
  RenderMeta,
  'width' | 'height' | 'bounds' | 'framing' | 'keypoints' | 'exactCamera'
>;

/**
 * What the render stage stores beside its image. `meta` is absent in items stored before it was recorded there:
 * the render stage then reads the item's `meta.json` once (see `withRenderFacts`).
 */
export interface StoredRenderValue {
  warnings?: string[];
  meta?: RenderFacts;
}

/** A render item's value as the later stages get it: its meta always there. */
export interface RenderValue {
  warnings?: string[];
  meta: RenderFacts;
}

/** What the post stage stores beside its image. */
export interface PostValue {
  extension: string;
  measured: { topPx: number; bottomPx: number; leftPx: number; rightPx: number };
  warnings: string[];
  hasMask: boolean;
}

/** What a run knows of one entry (for one avatar): each stage's outcome and the cache items made so far. */
export interface EntryState {
  shot: ResolvedShot;
  warnings: string[];
  /** The first stage failure, `<stage>: <message>`; later stages skip the entry. */
  error?: string;
  stages: Partial<Record<StageName, StageOutcome>>;
  bake?: CacheItem<BakeValue | null>;
  render?: CacheItem<RenderValue>;
  post?: CacheItem<PostValue>;
  caption?: CacheItem<string>;
  /** Conditioning images by kind (`conditioning.png` in each item). */
  conditioning?: Partial<Record<ConditioningKind, CacheItem<ConditioningValue>>>;
}

/** What a conditioning item stores beside its image. */
export interface ConditioningValue {
  /** Map pixels filled from a neighbour or cleared to fit the image's silhouette (depth, normal). */
  filledPx?: number;
  clearedPx?: number;
}

/** A fresh state per shot, before any stage ran. */
export function newEntryStates(shots: ResolvedShot[]): EntryState[] {
  return shots.map((shot) => ({ shot, warnings: [], stages: {} }));
}

/** One avatar's copy of the shared bake results, for its own render, post and caption stages to fill. */
export function entryStatesForAvatar(baked: EntryState[]): EntryState[] {
  return baked.map((b) => ({
    shot: b.shot,
    warnings: [...b.warnings],
    stages: { ...b.stages },
    ...(b.error ? { error: b.error } : {}),
    ...(b.bake ? { bake: b.bake } : {}),
  }));
}

/** How many entries `stage` computed, served from the cache, failed, and recomputed for a damaged item. */
export function countOutcomes(
  states: EntryState[],
  stage: StageName,
): { done: number; cached: number; failed: number; repaired: number } {
  const count = (status: string) => states.filter((e) => e.stages[stage]?.status === status).length;
  return {
    done: count('done'),
    cached: count('cached'),
    failed: count('failed'),
    repaired: states.filter((e) => e.stages[stage]?.missReason === 'corrupt').length,
  };
}

/** The final image of a post item: its path and its bytes' sha256 (recorded by the cache). */
export function postImage(post: CacheItem<PostValue>): { path: string; sha256: string } | undefined {
  const name = Object.keys(post.files).find((n) => n.startsWith('image.'));
  return name ? { path: post.files[name]!, sha256: post.fileSha256[name]! } : undefined;
}
