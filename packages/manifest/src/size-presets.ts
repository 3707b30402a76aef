import type { CameraFrame } from './framing.js';

/** Model-sized presets for `size`: each gives a default image size per camera frame. */
export const SIZE_PRESET_NAMES = ['sd15', 'sdxl', 'flux'] as const;
/** A model preset name. */
export type SizePresetName = (typeof SIZE_PRESET_NAMES)[number];

/** An image size in pixels. */
export interface ImageSize {
  width: number;
  height: number;
}

/**
 * The standard SDXL bucket sizes (width × height, about 1024² pixels each, multiples of 64), from the SDXL
 * paper's training buckets, as kohya sd-scripts' `make_bucket_resolutions` also finds them for `resolution`
 * 1024. Flux trains on the same sizes.
 */
export const SDXL_BUCKET_SIZES: readonly ImageSize[] = [
  { width: 1024, height: 1024 },
  { width: 1152, height: 896 },
  { width: 896, height: 1152 },
  { width: 1216, height: 832 },
  { width: 832, height: 1216 },
  { width: 1344, height: 768 },
  { width: 768, height: 1344 },
  { width: 1536, height: 640 },
  { width: 640, height: 1536 },
];

/** Standard SDXL buckets per camera frame. */
const SDXL_BUCKETS: Readonly<Record<CameraFrame, ImageSize>> = {
  fullShot: { width: 832, height: 1216 },
  cowboyShot: { width: 896, height: 1152 },
  mediumShot: { width: 896, height: 1152 },
  mediumCloseUp: { width: 1024, height: 1024 },
  closeUp: { width: 1024, height: 1024 },
};

/**
 * The default size of each camera frame per model preset. Full and cowboy shots (a standing body) are portrait;
 * medium shots a little less tall; close-ups square. Every size is a bucket the trainer keeps as is: SDXL/Flux
 * sizes are standard SDXL buckets; SD 1.5 sizes are the buckets sd-scripts makes for `resolution` 512
 * (at most 512² pixels, multiples of 64), so `bucket_no_upscale` never resizes them.
 */
export const SIZE_PRESETS: Readonly<Record<SizePresetName, Readonly<Record<CameraFrame, ImageSize>>>> = {
  sd15: {
    fullShot: { width: 448, height: 576 },
    cowboyShot: { width: 448, height: 576 },
    mediumShot: { width: 512, height: 512 },
    mediumCloseUp: { width: 512, height: 512 },
    closeUp: { width: 512, height: 512 },
  },
  sdxl: SDXL_BUCKETS,
  // Flux trains on the SDXL buckets.
  flux: SDXL_BUCKETS,
};

/** `size` as written: a preset name, or an exact `"<width>x<height>"`. */
export const SIZE_TEXT_PATTERN = new RegExp(
  `^(?:${SIZE_PRESET_NAMES.join('|')}|[1-9][0-9]{0,3}x[1-9][0-9]{0,3})$`,
);

/** A parsed `size`: a model preset (size per frame) or one exact size. */
export type SizeSpec = { kind: 'preset'; name: SizePresetName } | ({ kind: 'exact' } & ImageSize);

/** Parses a `size` that matched {@link SIZE_TEXT_PATTERN}. */
export function parseSize(text: string): SizeSpec {
  if ((SIZE_PRESET_NAMES as readonly string[]).includes(text))
    return { kind: 'preset', name: text as SizePresetName };
  const [width = '0', height = '0'] = text.split('x');
  return { kind: 'exact', width: Number(width), height: Number(height) };
}

/** The size a `size` gives a shot of `frame`. */
export function sizeForFrame(spec: SizeSpec, frame: CameraFrame): ImageSize {
  return spec.kind === 'preset' ? SIZE_PRESETS[spec.name][frame] : { width: spec.width, height: spec.height };
}

/** The size fields of one level (top or entry) of a manifest. */
export interface SizeFields {
  size?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
}

/**
 * One shot's image size: each side from the most specific field that gives it: the entry's `width`/`height`,
 * then the entry's `size`, then the top level's `size` or `width`/`height` (a level gives `size` or
 * `width`/`height`, never both), then `fallback` (CharacterStudio's 512).
 */
export function resolveShotSize(
  top: SizeFields,
  entry: SizeFields,
  frame: CameraFrame,
  fallback: ImageSize,
): ImageSize {
  const entrySize = entry.size !== undefined ? sizeForFrame(parseSize(entry.size), frame) : undefined;
  const topSize = top.size !== undefined ? sizeForFrame(parseSize(top.size), frame) : undefined;
  return {
    width: entry.width ?? entrySize?.width ?? topSize?.width ?? top.width ?? fallback.width,
    height: entry.height ?? entrySize?.height ?? topSize?.height ?? top.height ?? fallback.height,
  };
}
