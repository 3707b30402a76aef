import path from 'node:path';
import { assignVarietyChoices, listVarietyChoices, type VarietyChoice } from './background-variety.js';
import { parseCameraDirection, parseCameraFrame } from './camera.js';
import { TRANSPARENT_SEEN_AS, transparentSeenAsBlack } from './check-backgrounds.js';
import { type ConditioningKind, normalizeConditioning } from './formats.js';
import { canonicalJson, sha256 } from './hash.js';
import {
  type BackgroundSpec,
  CHARACTER_STUDIO_DEFAULTS,
  DEFAULT_CAPTION_TEMPLATE,
  DEFAULT_CLASS_TOKEN,
  DEFAULT_REPEATS,
  DEFAULT_TAG_TEMPLATE,
  DEFAULT_TRIGGER,
  type Manifest,
  type ManifestEntry,
} from './manifest-schema.js';
import type {
  Background,
  ResolvedPlan,
  ResolvedShot,
  ResolveManifestOptions,
  ShotAnimation,
  ShotSample,
} from './resolved-plan.js';
import { isCameraFrame } from './shot-rules.js';
import { resolveShotSize } from './size-presets.js';
import { slugWords } from './slug.js';

/** Prefix of built-in pose names in `animationPath`. */
export const BUILTIN_ANIMATION_PREFIX = 'builtin:';

/**
 * The animations folder CharacterStudio's way: it concatenates `assetsLocation + animationsDirectory + "/"`,
 * so leading and doubled slashes of `animationsDirectory` do not make it a filesystem root. The result is
 * relative to the manifest's folder unless `assetsLocation` itself is an absolute path.
 */
export function resolveAnimationsDir(
  manifestDir: string,
  assetsLocation: string | undefined,
  animationsDirectory: string | undefined,
): string {
  const assets = assetsLocation ?? '';
  const sub = (animationsDirectory ?? '').replace(/^[\\/]+/, '');
  if (assets !== '' && path.isAbsolute(assets)) return path.resolve(assets, sub);
  return path.resolve(manifestDir, assets.replace(/^[\\/]+/, ''), sub);
}

/** The absolute path of an animation file: always relative to the animations folder (leading slashes dropped). */
export function resolveAnimationFile(animationsDir: string, animationPath: string): string {
  return path.resolve(animationsDir, animationPath.replace(/^[\\/]+/, ''));
}

/** A background as written (`background` / `backgroundGrayscale`) → the resolved background. */
export function resolveBackground(
  spec: BackgroundSpec | undefined,
  grayscale: number | undefined,
): Background | null {
  if (spec !== undefined) {
    if (spec === 'transparent') return { kind: 'transparent' };
    if (Array.isArray(spec)) return { kind: 'color', rgb: [spec[0], spec[1], spec[2]] };
    const hex = spec.slice(1);
    const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
    return {
      kind: 'color',
      rgb: [
        Number.parseInt(full.slice(0, 2), 16),
        Number.parseInt(full.slice(2, 4), 16),
        Number.parseInt(full.slice(4, 6), 16),
      ],
    };
  }
  if (grayscale !== undefined) {
    const g = Math.round(255 * grayscale);
    return { kind: 'color', rgb: [g, g, g] };
  }
  return null;
}

/** What a shot's id is computed from: the entry's own fields, normalized (so `front` = omitted camera). */
export function describeEntryForId(entry: ManifestEntry): Record<string, unknown> {
  const direction = parseCameraDirection(entry.cameraPosition ?? 'front');
  const frame = parseCameraFrame(entry.cameraFrame ?? 'fullShot');
  return {
    animationPath: entry.animationPath,
    animationTake: entry.animationTake ?? null,
    sample: sampleOf(entry),
    wrapAnimation: entry.wrapAnimation ?? null,
    lookAtCamera: entry.lookAtCamera ?? false,
    expression: entry.expression || null,
    cameraPosition: typeof direction === 'string' ? entry.cameraPosition : direction.position,
    cameraFrame: frame,
    cameraLocalOffset: entry.cameraLocalOffset ?? [0, 0, 0],
    description: entry.description,
    // Absent (undefined, dropped from the canonical JSON) unless given, so older ids stay the same.
    size: entry.size,
    width: entry.width ?? null,
    height: entry.height ?? null,
    topFrameOffsetPixels: entry.topFrameOffsetPixels ?? null,
    bottomFrameOffsetPixels: entry.bottomFrameOffsetPixels ?? null,
    background: resolveBackground(entry.background, entry.backgroundGrayscale),
    backgroundDescription: entry.backgroundDescription ?? null,
  };
}

/**
 * The id of an entry when it has no `id` field: a slug of its animation name plus 10 hex digits of the
 * sha256 of its normalized content, e.g. `walking-3fa2c1d07b`. Other entries never change it.
 */
export function computeEntryId(entry: ManifestEntry): string {
  const hash = sha256(canonicalJson(describeEntryForId(entry)));
  const base = entry.animationPath.startsWith(BUILTIN_ANIMATION_PREFIX)
    ? entry.animationPath.slice(BUILTIN_ANIMATION_PREFIX.length)
    : path.posix.basename(entry.animationPath.replace(/\\/g, '/')).replace(/\.[^.]*$/, '');
  const slug = slugWords(base).slice(0, 24).replace(/-+$/, '') || 'entry';
  return `${slug}-${hash.slice(0, 10)}`;
}

function sampleOf(entry: ManifestEntry): ShotSample {
  if (entry.animationFrame !== undefined) return { kind: 'frame', frame: entry.animationFrame };
  if (entry.animationTime !== undefined) return { kind: 'time', seconds: entry.animationTime };
  return { kind: 'frame', frame: 0 };
}

/**
 * Turns a valid manifest into the plan: defaults applied, names canonical, paths absolute, ids assigned.
 * Expects a manifest that passed validation (see `loadManifest`); values that fail to parse here throw.
 */
export function resolveManifest(manifest: Manifest, options: ResolveManifestOptions): ResolvedPlan {
  const inputs = resolveInputs(manifest, options);
  const wrapAnimations = manifest.wrapAnimations ?? !(options.strict ?? false);
  const shotDefaults: ShotDefaults = {
    animationsDir: inputs.animationsDir,
    wrapAnimations,
    conditioning: options.conditioning ?? manifest.conditioning ?? [],
    // CharacterStudio's default background is backgroundGrayscale 1: white.
    background:
      resolveBackground(manifest.background, manifest.backgroundGrayscale) ??
      resolveBackground(undefined, CHARACTER_STUDIO_DEFAULTS.backgroundGrayscale)!,
    topFrameOffsetPixels: manifest.topFrameOffsetPixels ?? CHARACTER_STUDIO_DEFAULTS.topFrameOffsetPixels,
    bottomFrameOffsetPixels:
      manifest.bottomFrameOffsetPixels ?? CHARACTER_STUDIO_DEFAULTS.bottomFrameOffsetPixels,
  };
  const uniqueId = uniqueIds();
  const shots = manifest.dataCollection.map((entry, index) =>
    resolveShot(manifest, entry, index, uniqueId(entry.id ?? computeEntryId(entry)), shotDefaults),
  );

  const backgroundVariety = resolveBackgroundVariety(manifest, inputs.manifestDir);
  if (backgroundVariety) applyBackgroundVariety(shots, manifest.dataCollection, backgroundVariety);
  const alphaMask = manifest.image?.alphaMask ?? 'none';
  // Trainers see a transparent background without a mask as black: the caption names what they see.
  for (const shot of shots)
    if (transparentSeenAsBlack(shot.background, alphaMask) && shot.backgroundDescription.trim() !== '')
      shot.backgroundDescription = TRANSPARENT_SEEN_AS;

  return {
    ...inputs,
    trigger: manifest.trigger ?? DEFAULT_TRIGGER,
    classToken: manifest.classToken ?? DEFAULT_CLASS_TOKEN,
    caption: resolveCaption(manifest.caption),
    trainers: manifest.trainers ? [...new Set(manifest.trainers)] : null,
    repeats: manifest.repeats ?? DEFAULT_REPEATS,
    layout: manifest.layout ?? 'kohya',
    image: {
      format: manifest.image?.format ?? 'png',
      quality: manifest.image?.quality ?? 90,
      alphaMask,
    },
    wrapAnimations,
    backgroundVariety,
    contactSheet: options.contactSheet ?? manifest.contactSheet ?? 'images',
    shots,
  };
}

/** The manifest file and folder, the animation folder and the avatars: absolute, and where the avatars came from. */
function resolveInputs(
  manifest: Manifest,
  options: ResolveManifestOptions,
): Pick<ResolvedPlan, 'manifestFile' | 'manifestDir' | 'animationsDir' | 'avatars' | 'avatarsSource'> {
  const cwd = options.cwd ?? process.cwd();
  const manifestFile = path.resolve(options.manifestFile);
  const manifestDir = path.dirname(manifestFile);
  const animationsDir =
    options.animationsDir !== undefined
      ? path.resolve(cwd, options.animationsDir)
      : resolveAnimationsDir(manifestDir, manifest.assetsLocation, manifest.animationsDirectory);
  const fromCli = options.vrmPaths !== undefined && options.vrmPaths.length > 0;
  const avatars = fromCli
    ? options.vrmPaths!.map((p) => path.resolve(cwd, p))
    : [...(manifest.avatar ? [manifest.avatar] : []), ...(manifest.avatars ?? [])].map((p) =>
        path.resolve(manifestDir, p),
      );
  const avatarsSource: ResolvedPlan['avatarsSource'] = fromCli
    ? 'cli'
    : manifest.avatar
      ? 'avatar'
      : manifest.avatars
        ? 'avatars'
        : 'none';
  return { manifestFile, manifestDir, animationsDir, avatars, avatarsSource };
}

/** What an entry takes from the top level (or the run) unless it says otherwise. */
interface ShotDefaults {
  animationsDir: string;
  wrapAnimations: boolean;
  conditioning: readonly ConditioningKind[];
  background: Background;
  topFrameOffsetPixels: number;
  bottomFrameOffsetPixels: number;
}

/** Ids as given, a repeated one suffixed `-2`, `-3`, … in entry order. */
function uniqueIds(): (id: string) => string {
  const used = new Map<string, number>();
  return (id) => {
    const count = (used.get(id) ?? 0) + 1;
    used.set(id, count);
    return count > 1 ? `${id}-${count}` : id;
  };
}

/** One entry as a shot, its id already unique. */
function resolveShot(
  manifest: Manifest,
  entry: ManifestEntry,
  index: number,
  id: string,
  defaults: ShotDefaults,
): ResolvedShot {
  const direction = parseCameraDirection(entry.cameraPosition ?? 'front');
  const frame = parseCameraFrame(entry.cameraFrame ?? 'fullShot');
  if (typeof direction === 'string') throw new Error(`dataCollection[${index}].cameraPosition: ${direction}`);
  if (typeof frame !== 'string' || !isCameraFrame(frame))
    throw new Error(`dataCollection[${index}].cameraFrame: ${frame}`);
  const animation: ShotAnimation = entry.animationPath.startsWith(BUILTIN_ANIMATION_PREFIX)
    ? { kind: 'builtin', name: entry.animationPath.slice(BUILTIN_ANIMATION_PREFIX.length) }
    : {
        kind: 'file',
        path: resolveAnimationFile(defaults.animationsDir, entry.animationPath),
        name: entry.animationPath,
        ...(entry.animationTake !== undefined ? { take: entry.animationTake } : {}),
      };
  return {
    id,
    index,
    number: index + 1,
    jsonPath: `dataCollection[${index}]`,
    animation,
    sample: sampleOf(entry),
    wrap: entry.wrapAnimation ?? defaults.wrapAnimations,
    expression: entry.expression || null,
    lookAtCamera: entry.lookAtCamera ?? false,
    conditioning: normalizeConditioning(entry.conditioning ?? defaults.conditioning),
    camera: {
      position: direction.position,
      label: direction.label,
      frame,
      localOffset: entry.cameraLocalOffset ? [...entry.cameraLocalOffset] : [0, 0, 0],
    },
    ...resolveShotSize(manifest, entry, frame, CHARACTER_STUDIO_DEFAULTS),
    topFrameOffsetPixels: entry.topFrameOffsetPixels ?? defaults.topFrameOffsetPixels,
    bottomFrameOffsetPixels: entry.bottomFrameOffsetPixels ?? defaults.bottomFrameOffsetPixels,
    background: resolveBackground(entry.background, entry.backgroundGrayscale) ?? defaults.background,
    backgroundDescription: entry.backgroundDescription ?? manifest.backgroundDescription ?? '',
    description: entry.description,
  };
}

/** The caption settings with their defaults (a template per style). */
function resolveCaption(caption: Manifest['caption']): ResolvedPlan['caption'] {
  const templateFor = (template: string | undefined, style: 'sentence' | 'tags' | undefined) =>
    template ?? (style === 'tags' ? DEFAULT_TAG_TEMPLATE : DEFAULT_CAPTION_TEMPLATE);
  // Every other field as written, after the defaulted ones.
  const { template, style, extension, variants, ...rest } = caption ?? {};
  return {
    template: templateFor(template, style),
    style: style ?? 'sentence',
    extension: extension ?? 'txt',
    variants: (variants ?? []).map((variant) => ({
      template: templateFor(variant.template, variant.style),
      style: variant.style ?? 'sentence',
    })),
    ...rest,
  };
}

/** The `backgrounds` variety: its seed, its choices and its images folder (absolute), or null without one. */
function resolveBackgroundVariety(
  manifest: Manifest,
  manifestDir: string,
): ResolvedPlan['backgroundVariety'] {
  if (!manifest.backgrounds) return null;
  return {
    seed: manifest.backgrounds.seed ?? 0,
    choices: listVarietyChoices(manifest.backgrounds, manifestDir),
    imagesDirectory:
      manifest.backgrounds.imagesDirectory !== undefined
        ? path.resolve(manifestDir, manifest.backgrounds.imagesDirectory)
        : null,
  };
}

/**
 * Gives each shot without a background of its own (`background` / `backgroundGrayscale` in its entry) one of the
 * variety's backgrounds, dealt by seed, and the words naming it (unless the entry gives `backgroundDescription`).
 */
function applyBackgroundVariety(
  shots: ResolvedShot[],
  entries: readonly ManifestEntry[],
  variety: { seed: number; choices: VarietyChoice[] },
): void {
  const varied = shots.filter((s) => {
    const entry = entries[s.index]!;
    return entry.background === undefined && entry.backgroundGrayscale === undefined;
  });
  const picks = assignVarietyChoices(
    varied.map((s) => s.id),
    variety.choices.length,
    variety.seed,
  );
  varied.forEach((shot, i) => {
    const choice = variety.choices[picks[i]!];
    if (!choice) return;
    shot.background = choice.background;
    shot.backgroundDescription = entries[shot.index]!.backgroundDescription ?? choice.description;
  });
}
