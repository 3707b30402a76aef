import type { PixelBounds } from '@vrm-lora/manifest/formats';
import sharp from 'sharp';
import type { Background } from './background.js';
import { checkMargins, type ExpectedMargins } from './check-margins.js';
import { compositeOntoBackground } from './composite-onto-background.js';
import {
  encodeFinalImage,
  encodeSeparateMask,
  type ImageExtension,
  type ImageFormat,
} from './encode-final-image.js';
import { measureRawSubjectBounds, type SubjectBounds, subjectBoundsOf } from './measure-subject-bounds.js';
import { PostProcessError } from './post-process-error.js';

/**
 * Masks for masked-loss training (sd-scripts `--masked_loss`):
 * - `none`: no mask;
 * - `alpha`: the image keeps the subject's alpha channel, its colour channels composited onto the background
 *   (sd-scripts subset option `alpha_mask = true` reads the mask from the alpha channel). PNG or WebP only;
 * - `separate`: a separate 8-bit greyscale PNG, white = subject, black = background (sd-scripts reads the red
 *   channel of a same-named image in the subset's `conditioning_data_dir`).
 */
export type AlphaMaskMode = 'none' | 'alpha' | 'separate';

/** Raw 8-bit pixels: `width` × `height`, rows top to bottom, `channels` bytes a pixel. */
export interface RawPixels {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

/** The render to post-process: its PNG, or its pixels when they are in memory already (no decoding). */
export type PostProcessRender =
  | {
      /** The RGBA render (8-bit PNG, straight alpha) on a transparent background. */
      png: Buffer;
      pixels?: undefined;
    }
  | {
      /**
       * The render's straight-alpha RGBA pixels (4 channels). Post-processing owns them from here: a transparent
       * background clears the colour of their fully transparent pixels in place.
       */
      pixels: RawPixels;
      png?: undefined;
    };

/** Input of {@link postProcess}. */
export type PostProcessInput = PostProcessRender & PostProcessOptions;

/** The settings of {@link postProcess}, beside the render. */
export interface PostProcessOptions {
  background: Background;
  /** Default `png`. */
  format?: ImageFormat;
  /** WebP / JPEG quality 1..100; default 95. Ignored for PNG. WebP at 100 is lossless. */
  quality?: number;
  /** Default `none`. */
  alphaMask?: AlphaMaskMode;
  /** Margins to check; a difference beyond {@link MARGIN_TOLERANCE_PX} gives a warning. */
  expected?: ExpectedMargins;
  /** Names the entry in warnings and errors, e.g. `dataCollection[3] (entry 4)`. */
  entryLabel?: string;
  /** Alpha at or above which a pixel counts as subject when measuring; default 1. */
  alphaThreshold?: number;
  /**
   * The subject's bounds when the caller knows them already (the render's meta: the renderer measured them on
   * these pixels with alpha ≥ 1): the margins are taken from them instead of measuring the pixels again.
   */
  subjectBounds?: PixelBounds;
}

/** Result of {@link postProcess}. */
export interface PostProcessResult {
  /** The encoded final image. */
  image: Buffer;
  /** File extension for `image`, without the dot. */
  extension: ImageExtension;
  /** The separate mask PNG (mode `separate`), else `null`. */
  mask: Buffer | null;
  /** Empty margins around the subject on the final pixels. */
  measured: { topPx: number; bottomPx: number; leftPx: number; rightPx: number };
  /** Margin checks that failed, one sentence each, naming the entry. */
  warnings: string[];
}

/**
 * Identity of the post-processing code, for cache keys: bump it whenever the same input would give different
 * bytes (compositing, encoder settings, mask format, margin measurement). `post/2`: PNG zlib level 4 instead of 9
 * (same pixels, different bytes). `post/3`: transparent pixels of a kept-transparent image are stored as black (what
 * trainers that drop alpha see); gradient and image backgrounds.
 */
export const POST_VERSION = 'post/3';

/** The sharp (libvips) doing the work: its version is part of post-processing's cache keys. */
export const SHARP_VERSION: string = sharp.versions.sharp ?? 'unknown';

/** The input's defaults applied and checked: format, mask mode, quality, and `who` names the entry. */
function resolvePostOptions(input: PostProcessInput): {
  format: ImageFormat;
  alphaMask: AlphaMaskMode;
  quality: number;
  who: string;
} {
  const format = input.format ?? 'png';
  const alphaMask = input.alphaMask ?? 'none';
  const quality = input.quality ?? 95;
  const who = input.entryLabel ?? 'the image';
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new PostProcessError(
      `Image quality must be a whole number from 1 to 100, got ${quality} (${who}).`,
    );
  }
  if (format === 'jpeg' && (alphaMask === 'alpha' || input.background.kind === 'transparent')) {
    throw new PostProcessError(
      `JPEG cannot keep an alpha channel (${who}): use image.format "png" or "webp", ` +
        `${alphaMask === 'alpha' ? 'or image.alphaMask "separate"' : 'or a background colour'}.`,
    );
  }
  if (input.background.kind === 'color') {
    for (const value of input.background.rgb) {
      if (!Number.isInteger(value) || value < 0 || value > 255) {
        throw new PostProcessError(
          `Background colour [${input.background.rgb.join(', ')}] must be whole numbers from 0 to 255 (${who}).`,
        );
      }
    }
  }
  return { format, alphaMask, quality, who };
}

/**
 * The render's straight-alpha RGBA pixels: given, or decoded from its PNG. A file sharp cannot read, or pixels that
 * are not RGBA of their size, are a {@link PostProcessError}.
 */
async function renderPixels(
  render: PostProcessRender,
  who: string,
): Promise<{ data: Buffer; width: number; height: number }> {
  let raw: RawPixels;
  if (render.pixels) raw = render.pixels;
  else {
    try {
      const { data, info } = await sharp(render.png)
        .ensureAlpha()
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      raw = { data, width: info.width, height: info.height, channels: info.channels };
    } catch (error) {
      throw new PostProcessError(`Cannot read the render of ${who} as an image: ${(error as Error).message}`);
    }
  }
  const { data, width, height, channels } = raw;
  if (channels !== 4)
    throw new PostProcessError(`Expected an RGBA render for ${who}, got ${channels} channels.`);
  if (data.length !== width * height * 4)
    throw new PostProcessError(
      `The render of ${who} holds ${data.length} bytes, not ${width}×${height} RGBA pixels.`,
    );
  return { data, width, height };
}

/**
 * The subject's margins: from `known` bounds (checked to lie in the image), else measured on the pixels; null when
 * no pixel reaches the alpha threshold.
 */
function subjectMargins(
  pixels: { data: Buffer; width: number; height: number },
  input: PostProcessInput,
  who: string,
): SubjectBounds | null {
  const { data, width, height } = pixels;
  const known = input.subjectBounds;
  if (!known) return measureRawSubjectBounds(data, width, height, 4, input.alphaThreshold ?? 1);
  const { left, top, right, bottom } = known;
  if (!(left >= 0 && top >= 0 && left <= right && top <= bottom && right < width && bottom < height))
    throw new PostProcessError(
      `The subject bounds given for ${who} (${left}, ${top})–(${right}, ${bottom}) do not lie in its ${width}×${height} render.`,
    );
  return subjectBoundsOf(known, width, height);
}

/**
 * Turns a transparent render into the final image: composites it onto the exact sRGB background (no colour
 * management: a pixel with alpha 0 becomes exactly the background value; partial alpha is blended in sRGB as
 * round((c·a + bg·(255 − a)) / 255)), keeps alpha when the background is transparent or `alphaMask` is `alpha`,
 * writes a separate mask on request, encodes (no metadata, so the same input gives the same bytes) and checks the
 * subject's margins.
 */
export async function postProcess(input: PostProcessInput): Promise<PostProcessResult> {
  const { format, alphaMask, quality, who } = resolvePostOptions(input);
  const { data, width, height } = await renderPixels(input, who);
  const bounds = subjectMargins({ data, width, height }, input, who);
  if (!bounds) {
    throw new PostProcessError(
      `The render of ${who} is blank (no pixel has alpha): nothing to post-process.`,
    );
  }
  const keepAlpha = input.background.kind === 'transparent' || alphaMask === 'alpha';
  const pixels = await compositeOntoBackground(data, input.background, { width, height }, keepAlpha, who);
  // The image and the mask (the render's alpha channel) are encoded concurrently by libvips.
  const [{ image, extension }, mask] = await Promise.all([
    encodeFinalImage({ data: pixels, width, height, channels: keepAlpha ? 4 : 3 }, format, quality),
    alphaMask === 'separate' ? encodeSeparateMask(data, width, height) : null,
  ]);
  const measured = {
    topPx: bounds.topPx,
    bottomPx: bounds.bottomPx,
    leftPx: bounds.leftPx,
    rightPx: bounds.rightPx,
  };
  const warnings = input.expected ? checkMargins(measured, input.expected, who) : [];
  return { image, extension, mask, measured, warnings };
}
