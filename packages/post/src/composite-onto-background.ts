import type { Background } from './background.js';
import { compositeOverColor } from './composite-over-color.js';
import { compositeOverPixels } from './composite-over-pixels.js';
import { makeBackgroundPixels, type PictureBackground } from './make-background-pixels.js';
import { PostProcessError } from './post-process-error.js';

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
  bg: PictureBackground,
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

/**
 * The final pixels of straight-alpha RGBA `rgba` on `background`: a transparent background keeps the pixels (in
 * place, fully transparent ones set to black); a colour, gradient or image is blended under them in sRGB, giving
 * RGB, or RGBA with the render's alpha when `keepAlpha` is set. `who` names the entry in errors.
 */
export async function compositeOntoBackground(
  rgba: Buffer,
  background: Background,
  size: { width: number; height: number },
  keepAlpha: boolean,
  who: string,
): Promise<Buffer> {
  if (background.kind === 'transparent') return clearTransparentColor(rgba);
  if (background.kind === 'color') return compositeOverColor(rgba, background.rgb, keepAlpha);
  const pixels = await readBackground(background, size.width, size.height, who);
  return compositeOverPixels(rgba, pixels, keepAlpha);
}
