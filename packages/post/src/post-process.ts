import sharp, { type OutputInfo } from 'sharp';
import type { Background } from './background.js';
import { compositeOverColor } from './composite-over-color.js';
import { compositeOverPixels } from './composite-over-pixels.js';
import { makeBackgroundPixels } from './make-background-pixels.js';
import { measureRawSubjectBounds } from './measure-subject-bounds.js';
import { PNG_OPTIONS } from './png-options.js';

/** Encoding of the final image. */
export type ImageFormat = 'png' | 'webp' | 'jpeg';

/**
 * Masks for masked-loss training (sd-scripts `--masked_loss`):
 * - `none`: no mask;
 * - `alpha`: the image keeps the subject's alpha channel, its colour channels composited onto the background
 *   (sd-scripts subset option `alpha_mask = true` reads the mask from the alpha channel). PNG or WebP only;
 * - `separate`: a separate 8-bit greyscale PNG, white = subject, black = background (sd-scripts reads the red
 *   channel of a same-named image in the subset's `conditioning_data_dir`).
 */
export type AlphaMaskMode = 'none' | 'alpha' | 'separate';

/** What a shot's frame offsets should look like, to check the final pixels against. */
export interface ExpectedMargins {
  /** Empty rows expected above the subject (`topFrameOffsetPixels`), or `null` when not fitted (width fit). */
  topPx: number | null;
  /** Empty rows expected below the subject, or `null` when the frame cuts the body at the bottom. */
  bottomPx: number | null;
  /** Empty columns expected left and right when a too-wide subject was fitted to the width. */
  leftPx?: number | null;
  rightPx?: number | null;
}

/** Input of {@link postProcess}. */
export interface PostProcessInput {
  /** The RGBA render (8-bit PNG, straight alpha) on a transparent background. */
  png: Buffer;
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
}

/** Result of {@link postProcess}. */
export interface PostProcessResult {
  /** The encoded final image. */
  image: Buffer;
  /** File extension for `image`, without the dot. */
  extension: 'png' | 'webp' | 'jpg';
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

/** How far a measured margin may be from the expected one before it is a warning, in pixels. */
export const MARGIN_TOLERANCE_PX = 2;

/**
 * Sets the colour of every fully transparent pixel to black (0, 0, 0, 0): trainers that drop alpha (PIL
 * `convert("RGB")`) then see exactly black there, whatever the renderer left in those pixels.
 */
function clearTransparentColor(rgba: Buffer): Buffer {
  for (let i = 0; i < rgba.length; i += 4) {
    if (rgba[i + 3] === 0) {
      rgba[i] = 0;
      rgba[i + 1] = 0;
      rgba[i + 2] = 0;
    }
  }
  return rgba;
}

async function readBackground(
  bg: Parameters<typeof makeBackgroundPixels>[0],
  width: number,
  height: number,
  who: string,
): Promise<Buffer> {
  try {
    return await makeBackgroundPixels(bg, width, height);
  } catch (error) {
    const what = bg.kind === 'image' ? `background image ${bg.path}` : 'the gradient background';
    throw new PostProcessError(`Cannot read ${what} for ${who}: ${(error as Error).message}`);
  }
}

/** Post-processing input that cannot be honoured; the message names the entry and the fix. */
export class PostProcessError extends Error {
  override name = 'PostProcessError';
}

/**
 * Turns a transparent render into the final image: composites it onto the exact sRGB background (no colour
 * management: a pixel with alpha 0 becomes exactly the background value; partial alpha is blended in sRGB as
 * round((c·a + bg·(255 − a)) / 255)), keeps alpha when the background is transparent or `alphaMask` is `alpha`,
 * writes a separate mask on request, encodes (no metadata, so the same input gives the same bytes) and checks the
 * subject's margins.
 */
export async function postProcess(input: PostProcessInput): Promise<PostProcessResult> {
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

  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(input.png)
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new PostProcessError(`Cannot read the render of ${who} as an image: ${(error as Error).message}`);
  }
  const { data, info } = decoded;
  const { width, height } = info;
  if (info.channels !== 4)
    throw new PostProcessError(`Expected an RGBA render for ${who}, got ${info.channels} channels.`);
  const bounds = measureRawSubjectBounds(data, width, height, 4, input.alphaThreshold ?? 1);
  if (!bounds) {
    throw new PostProcessError(
      `The render of ${who} is blank (no pixel has alpha): nothing to post-process.`,
    );
  }

  const keepAlpha = input.background.kind === 'transparent' || alphaMask === 'alpha';
  const channels = keepAlpha ? 4 : 3;
  const bg = input.background;
  const pixels =
    bg.kind === 'transparent'
      ? clearTransparentColor(data)
      : bg.kind === 'color'
        ? compositeOverColor(data, bg.rgb, keepAlpha)
        : compositeOverPixels(data, await readBackground(bg, width, height, who), keepAlpha);

  const raw = sharp(pixels, { raw: { width, height, channels } });
  let encoded: Promise<Buffer>;
  let extension: PostProcessResult['extension'];
  if (format === 'png') {
    encoded = raw.png(PNG_OPTIONS).toBuffer();
    extension = 'png';
  } else if (format === 'webp') {
    encoded = raw
      .webp(
        quality === 100
          ? { lossless: true, effort: 4 }
          : { quality, alphaQuality: 100, effort: 4, smartSubsample: true },
      )
      .toBuffer();
    extension = 'webp';
  } else {
    encoded = raw.jpeg({ quality, chromaSubsampling: '4:4:4', mozjpeg: false }).toBuffer();
    extension = 'jpg';
  }
  // The mask is the render's alpha channel, extracted by libvips (no JS loop) and encoded beside the image. The
  // extracted band is already greyscale (b-w): an explicit toColourspace('b-w') here would run a full sRGB → grey
  // conversion (~18 ms at 1024²) that gives the same bytes.
  const encodedMask =
    alphaMask === 'separate'
      ? sharp(data, { raw: { width, height, channels: 4 } })
          .extractChannel(3)
          .png(PNG_OPTIONS)
          .toBuffer()
      : null;
  const [image, mask] = await Promise.all([encoded, encodedMask]);

  const measured = {
    topPx: bounds.topPx,
    bottomPx: bounds.bottomPx,
    leftPx: bounds.leftPx,
    rightPx: bounds.rightPx,
  };
  const warnings: string[] = [];
  if (input.expected) {
    const checks: [string, number, number | null][] = [
      ['top', measured.topPx, input.expected.topPx],
      ['bottom', measured.bottomPx, input.expected.bottomPx],
      ['left', measured.leftPx, input.expected.leftPx ?? null],
      ['right', measured.rightPx, input.expected.rightPx ?? null],
    ];
    for (const [side, got, want] of checks) {
      if (want !== null && Math.abs(got - want) > MARGIN_TOLERANCE_PX) {
        warnings.push(
          `${who}: ${side} margin is ${got} px, expected ${want} px (±${MARGIN_TOLERANCE_PX} px); check the framing.`,
        );
      }
    }
  }
  return { image, extension, mask, measured, warnings };
}
