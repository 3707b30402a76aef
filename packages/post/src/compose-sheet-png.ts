import sharp, { type OverlayOptions } from 'sharp';
import { PNG_OPTIONS } from './png-options.js';

/** Space around and between the cells of a contact sheet, in pixels. */
export const SHEET_PADDING_PX = 8;
/** Average glyph width of DejaVu Sans relative to the font size, to wrap labels without measuring text. */
export const GLYPH_WIDTH_EM = 0.6;
/** The labels' font family unless one is given. */
export const SHEET_FONT_FAMILY = "'DejaVu Sans', sans-serif";
/** The sheet's opaque background colour. */
const SHEET_RGB = { r: 250, g: 250, b: 250 };

/** Escapes text for SVG (`<`, `>`, `&`, quotes as numeric character references). */
export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The opening of a sheet's SVG layer, as lines to join: the `<svg>` element, the checkerboard pattern `url(#c)` drawn
 * under images' transparent parts, and the labels' text style. Close it with `</svg>`.
 */
export function startSheetSvg(
  width: number,
  height: number,
  fontPx: number,
  fontFamily: string = SHEET_FONT_FAMILY,
): string[] {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`,
    '<defs><pattern id="c" width="16" height="16" patternUnits="userSpaceOnUse">',
    '<rect width="16" height="16" fill="#ffffff"/><rect width="8" height="8" fill="#d8d8d8"/>',
    '<rect x="8" y="8" width="8" height="8" fill="#d8d8d8"/></pattern></defs>',
    `<style>text{font-family:${fontFamily};font-size:${fontPx}px;fill:#202020}</style>`,
  ];
}

/**
 * Composites `overlays` (the SVG layer first, then the images) in order onto the sheet's background colour and
 * encodes the result as an opaque RGB PNG ({@link PNG_OPTIONS}).
 */
export async function composeSheetPng(
  width: number,
  height: number,
  overlays: readonly OverlayOptions[],
): Promise<Buffer> {
  const composed = await sharp({ create: { width, height, channels: 3, background: SHEET_RGB } })
    .composite([...overlays])
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Compositing adds an alpha channel; the sheet is opaque, so write RGB.
  return sharp(composed.data, { raw: { width, height, channels: composed.info.channels } })
    .removeAlpha()
    .png(PNG_OPTIONS)
    .toBuffer();
}
