import sharp, { type OverlayOptions } from 'sharp';
import { wrapLabel } from './make-contact-sheet.js';
import { PNG_OPTIONS } from './png-options.js';

/** One row of the conditioning contact sheet: an image, its conditioning images, and a label. */
export interface ConditioningSheetRow {
  /** The final image, then each conditioning image (bytes or file paths), all the same size. */
  panels: readonly (Buffer | string)[];
  label: string;
}

const PADDING_PX = 8;
const FONT_PX = 13;
const LINE_PX = 17;
const SHEET_RGB = { r: 250, g: 250, b: 250 };

/**
 * The contact sheet's `with-conditioning` mode: one row per entry, its image (transparent parts over a
 * checkerboard) and then its conditioning images side by side, each scaled to `rowHeightPx`, with the label to
 * the right. Returns an opaque RGB PNG.
 */
export async function makeConditioningSheet(
  rows: readonly ConditioningSheetRow[],
  options: { rowHeightPx?: number } = {},
): Promise<Buffer> {
  if (rows.length === 0) throw new Error('A contact sheet needs at least one image.');
  const rowHeight = options.rowHeightPx ?? 200;
  const decoded = await Promise.all(
    rows.map((row) =>
      Promise.all(
        row.panels.map((panel) =>
          sharp(panel)
            .resize({ height: rowHeight, kernel: 'lanczos3' })
            .toColourspace('srgb')
            .ensureAlpha()
            .png()
            .toBuffer({ resolveWithObject: true }),
        ),
      ),
    ),
  );
  const labelWidth = 260;
  const rowWidths = decoded.map((panels) =>
    panels.reduce((sum, p) => sum + p.info.width + PADDING_PX, PADDING_PX),
  );
  const width = Math.max(...rowWidths) + labelWidth;
  const cell = rowHeight + PADDING_PX;
  const height = rows.length * cell + PADDING_PX;
  const svg: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">`,
    '<defs><pattern id="c" width="16" height="16" patternUnits="userSpaceOnUse">',
    '<rect width="16" height="16" fill="#ffffff"/><rect width="8" height="8" fill="#d8d8d8"/>',
    '<rect x="8" y="8" width="8" height="8" fill="#d8d8d8"/></pattern></defs>',
    `<style>text{font-family:'DejaVu Sans', sans-serif;font-size:${FONT_PX}px;fill:#202020}</style>`,
  ];
  const overlays: OverlayOptions[] = [];
  for (const [r, panels] of decoded.entries()) {
    const top = PADDING_PX + r * cell;
    let left = PADDING_PX;
    for (const [i, panel] of panels.entries()) {
      if (i === 0)
        svg.push(
          `<rect x="${left}" y="${top}" width="${panel.info.width}" height="${rowHeight}" fill="url(#c)"/>`,
        );
      overlays.push({ input: panel.data, left, top });
      left += panel.info.width + PADDING_PX;
    }
    const lines = wrapLabel(rows[r]!.label, Math.floor(labelWidth / (FONT_PX * 0.6)), 6);
    for (const [i, line] of lines.entries()) {
      const text = line.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
      svg.push(`<text x="${rowWidths[r]! + 4}" y="${top + (i + 1) * LINE_PX}">${text}</text>`);
    }
  }
  svg.push('</svg>');
  const composed = await sharp({ create: { width, height, channels: 3, background: SHEET_RGB } })
    .composite([{ input: Buffer.from(svg.join('')), left: 0, top: 0 }, ...overlays])
    .raw()
    .toBuffer({ resolveWithObject: true });
  return sharp(composed.data, { raw: { width, height, channels: composed.info.channels } })
    .removeAlpha()
    .png(PNG_OPTIONS)
    .toBuffer();
}
