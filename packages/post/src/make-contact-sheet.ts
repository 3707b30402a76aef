import sharp from 'sharp';
import { PNG_OPTIONS } from './png-options.js';

/** One thumbnail of the contact sheet. */
export interface ContactSheetItem {
  /** The final image (any format sharp reads): its bytes, or the path of its file. */
  image: Buffer | string;
  /** Text under the thumbnail, e.g. `#4 anata a person sitting on the floor plain black background`. */
  label: string;
}

/** Options of {@link makeContactSheet}. */
export interface ContactSheetOptions {
  /** Thumbnails per row; default min(6, ceil(√n)). */
  columns?: number;
  /** Longest side of a thumbnail in pixels; default 256. */
  thumbnailPx?: number;
  /** Label font size in pixels; default 13. */
  fontSizePx?: number;
  /** Label lines under each thumbnail (longer text ends with `…`); default 4. */
  labelLines?: number;
  /** Font family for labels; default `DejaVu Sans, sans-serif`. */
  fontFamily?: string;
}

const PADDING_PX = 8;
const SHEET_RGB = { r: 250, g: 250, b: 250 };
/** Average glyph width of DejaVu Sans relative to the font size, to wrap labels without measuring text. */
const GLYPH_WIDTH_EM = 0.6;

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Wraps text at spaces into at most `maxLines` lines of `maxChars`, ending with `…` when cut. */
export function wrapLabel(text: string, maxChars: number, maxLines: number): string[] {
  const words = text
    .replace(/[\s\u0000-\u001f\u007f]+/g, ' ')
    .trim()
    .split(' ');
  const lines: string[] = [];
  let line = '';
  for (let word of words) {
    while (word.length > maxChars) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, maxChars));
      word = word.slice(maxChars);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= maxChars) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = kept[maxLines - 1] ?? '';
  kept[maxLines - 1] = `${last.slice(0, Math.max(0, maxChars - 1))}…`;
  return kept;
}

/**
 * Identity of the contact sheet's drawing, for callers that reuse a sheet made from the same images and
 * labels: bump it whenever the same items would give different bytes (layout, thumbnails, labels, encoding).
 */
export const CONTACT_SHEET_VERSION = 'sheet/2';

/**
 * Draws every image as a thumbnail (transparent parts over a checkerboard) in a grid, with its label under it,
 * and returns the sheet as PNG. Labels are SVG text rendered by sharp (librsvg + fontconfig); with no font
 * installed they come out blank, so the CI installs `fonts-dejavu-core`.
 */
export async function makeContactSheet(
  items: readonly ContactSheetItem[],
  options: ContactSheetOptions = {},
): Promise<Buffer> {
  if (items.length === 0) throw new Error('A contact sheet needs at least one image.');
  const thumbPx = options.thumbnailPx ?? 256;
  const fontPx = options.fontSizePx ?? 13;
  const labelLines = options.labelLines ?? 4;
  const columns = Math.max(
    1,
    Math.min(items.length, options.columns ?? Math.min(6, Math.ceil(Math.sqrt(items.length)))),
  );
  const rows = Math.ceil(items.length / columns);
  const lineHeightPx = Math.round(fontPx * 1.3);
  const cellWidth = thumbPx + 2 * PADDING_PX;
  const cellHeight = thumbPx + 2 * PADDING_PX + labelLines * lineHeightPx + PADDING_PX;
  const width = columns * cellWidth;
  const height = rows * cellHeight;
  const maxChars = Math.max(4, Math.floor(thumbPx / (fontPx * GLYPH_WIDTH_EM)));
  const family = options.fontFamily ?? "'DejaVu Sans', sans-serif";

  // Thumbnails are decoded and resized concurrently (libuv's pool) and kept raw: no PNG round trip. Each is copied
  // into one transparent layer the size of the sheet as soon as it is ready (only the layer stays in memory), and
  // the layer is composited once: sharp composites each overlay over the whole canvas, so one layer instead of one
  // overlay per image saves a full-canvas pass per image. Thumbnails never overlap, so the pixels are the same.
  const layer = Buffer.alloc(width * height * 4);
  const cellOrigin = (index: number) => ({
    left: (index % columns) * cellWidth + PADDING_PX,
    top: Math.floor(index / columns) * cellHeight + PADDING_PX,
  });
  const placed = await Promise.all(
    items.map(async (item, index) => {
      const { data, info } = await sharp(item.image)
        .resize(thumbPx, thumbPx, { fit: 'inside', kernel: 'lanczos3' })
        .toColourspace('srgb')
        .ensureAlpha()
        .raw({ depth: 'uchar' })
        .toBuffer({ resolveWithObject: true });
      if (info.channels !== 4)
        throw new Error(
          `Thumbnail ${index + 1} has ${info.channels} channels, expected RGBA; this is a bug.`,
        );
      const { left, top } = cellOrigin(index);
      const x = left + Math.floor((thumbPx - info.width) / 2);
      const y = top + Math.floor((thumbPx - info.height) / 2);
      const rowBytes = info.width * 4;
      for (let row = 0; row < info.height; row++) {
        data.copy(layer, ((y + row) * width + x) * 4, row * rowBytes, (row + 1) * rowBytes);
      }
      return { x, y, width: info.width, height: info.height };
    }),
  );
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`,
    '<defs><pattern id="c" width="16" height="16" patternUnits="userSpaceOnUse">',
    '<rect width="16" height="16" fill="#ffffff"/><rect width="8" height="8" fill="#d8d8d8"/>',
    '<rect x="8" y="8" width="8" height="8" fill="#d8d8d8"/></pattern></defs>',
    `<style>text{font-family:${family};font-size:${fontPx}px;fill:#202020}</style>`,
  ];
  for (const [index, item] of items.entries()) {
    const { left, top } = cellOrigin(index);
    const thumb = placed[index]!;
    svg.push(
      `<rect x="${thumb.x}" y="${thumb.y}" width="${thumb.width}" height="${thumb.height}" fill="url(#c)"/>`,
    );
    wrapLabel(item.label, maxChars, labelLines).forEach((line, i) => {
      const baseline = top + thumbPx + PADDING_PX + (i + 1) * lineHeightPx - Math.round(lineHeightPx * 0.25);
      svg.push(`<text x="${left}" y="${baseline}">${escapeXml(line)}</text>`);
    });
  }
  svg.push('</svg>');
  const composed = await sharp({ create: { width, height, channels: 3, background: SHEET_RGB } })
    .composite([
      { input: Buffer.from(svg.join('')), left: 0, top: 0 },
      { input: layer, raw: { width, height, channels: 4 }, left: 0, top: 0 },
    ])
    .raw()
    .toBuffer({ resolveWithObject: true });
  // Compositing adds an alpha channel; the sheet is opaque, so write RGB.
  return sharp(composed.data, { raw: { width, height, channels: composed.info.channels } })
    .removeAlpha()
    .png(PNG_OPTIONS)
    .toBuffer();
}
