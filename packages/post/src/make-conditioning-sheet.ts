import sharp, { type OverlayOptions } from 'sharp';
import {
  composeSheetPng,
  escapeXml,
  GLYPH_WIDTH_EM,
  SHEET_PADDING_PX,
  startSheetSvg,
} from './compose-sheet-png.js';
import { wrapLabel } from './wrap-label.js';

/** One row of the conditioning contact sheet: an image, its conditioning images, and a label. */
export interface ConditioningSheetRow {
  /** The final image, then each conditioning image (bytes or file paths), all the same size. */
  panels: readonly (Buffer | string)[];
  label: string;
}

const FONT_PX = 13;
const LINE_PX = 17;

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
    panels.reduce((sum, p) => sum + p.info.width + SHEET_PADDING_PX, SHEET_PADDING_PX),
  );
  const width = Math.max(...rowWidths) + labelWidth;
  const cell = rowHeight + SHEET_PADDING_PX;
  const height = rows.length * cell + SHEET_PADDING_PX;
  const svg = startSheetSvg(width, height, FONT_PX);
  const overlays: OverlayOptions[] = [];
  for (const [r, panels] of decoded.entries()) {
    const top = SHEET_PADDING_PX + r * cell;
    let left = SHEET_PADDING_PX;
    for (const [i, panel] of panels.entries()) {
      if (i === 0)
        svg.push(
          `<rect x="${left}" y="${top}" width="${panel.info.width}" height="${rowHeight}" fill="url(#c)"/>`,
        );
      overlays.push({ input: panel.data, left, top });
      left += panel.info.width + SHEET_PADDING_PX;
    }
    const lines = wrapLabel(rows[r]!.label, Math.floor(labelWidth / (FONT_PX * GLYPH_WIDTH_EM)), 6);
    for (const [i, line] of lines.entries()) {
      svg.push(`<text x="${rowWidths[r]! + 4}" y="${top + (i + 1) * LINE_PX}">${escapeXml(line)}</text>`);
    }
  }
  svg.push('</svg>');
  return composeSheetPng(width, height, [{ input: Buffer.from(svg.join('')), left: 0, top: 0 }, ...overlays]);
}
