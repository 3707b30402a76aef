import sharp from 'sharp';
import {
  composeSheetPng,
  escapeXml,
  GLYPH_WIDTH_EM,
  SHEET_FONT_FAMILY,
  SHEET_PADDING_PX,
  startSheetSvg,
} from './compose-sheet-png.js';
import { wrapLabel } from './wrap-label.js';

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

/**
 * Identity of the contact sheet's drawing, for callers that reuse a sheet made from the same images and
 * labels: bump it whenever the same items would give different bytes (layout, thumbnails, labels, encoding).
 */
export const CONTACT_SHEET_VERSION = 'sheet/2';

/** The grid of a contact sheet: cells of a thumbnail and its label, sizes in pixels. */
interface SheetGrid {
  columns: number;
  thumbPx: number;
  fontPx: number;
  labelLines: number;
  lineHeightPx: number;
  cellWidth: number;
  cellHeight: number;
  width: number;
  height: number;
  /** Label characters per line. */
  maxChars: number;
  fontFamily: string;
}

/** Where a thumbnail landed on the sheet, in pixels. */
interface PlacedThumbnail {
  x: number;
  y: number;
  width: number;
  height: number;
}

function layOutGrid(count: number, options: ContactSheetOptions): SheetGrid {
  const thumbPx = options.thumbnailPx ?? 256;
  const fontPx = options.fontSizePx ?? 13;
  const labelLines = options.labelLines ?? 4;
  const columns = Math.max(1, Math.min(count, options.columns ?? Math.min(6, Math.ceil(Math.sqrt(count)))));
  const rows = Math.ceil(count / columns);
  const lineHeightPx = Math.round(fontPx * 1.3);
  const cellWidth = thumbPx + 2 * SHEET_PADDING_PX;
  const cellHeight = thumbPx + 2 * SHEET_PADDING_PX + labelLines * lineHeightPx + SHEET_PADDING_PX;
  return {
    columns,
    thumbPx,
    fontPx,
    labelLines,
    lineHeightPx,
    cellWidth,
    cellHeight,
    width: columns * cellWidth,
    height: rows * cellHeight,
    maxChars: Math.max(4, Math.floor(thumbPx / (fontPx * GLYPH_WIDTH_EM))),
    fontFamily: options.fontFamily ?? SHEET_FONT_FAMILY,
  };
}

/** The top-left corner of cell `index`'s thumbnail box. */
function cellOrigin(grid: SheetGrid, index: number): { left: number; top: number } {
  return {
    left: (index % grid.columns) * grid.cellWidth + SHEET_PADDING_PX,
    top: Math.floor(index / grid.columns) * grid.cellHeight + SHEET_PADDING_PX,
  };
}

/**
 * Decodes and resizes every image concurrently (libuv's pool), kept raw (no PNG round trip), and copies each,
 * centred in its cell, into one transparent RGBA layer the size of the sheet as soon as it is ready (only the layer
 * stays in memory). The layer is composited once: sharp composites each overlay over the whole canvas, so one
 * layer instead of one overlay per image saves a full-canvas pass per image. Thumbnails never overlap, so the
 * pixels are the same.
 */
async function placeThumbnails(
  items: readonly ContactSheetItem[],
  grid: SheetGrid,
): Promise<{ layer: Buffer; placed: PlacedThumbnail[] }> {
  const { thumbPx, width } = grid;
  const layer = Buffer.alloc(grid.width * grid.height * 4);
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
      const { left, top } = cellOrigin(grid, index);
      const x = left + Math.floor((thumbPx - info.width) / 2);
      const y = top + Math.floor((thumbPx - info.height) / 2);
      const rowBytes = info.width * 4;
      for (let row = 0; row < info.height; row++) {
        data.copy(layer, ((y + row) * width + x) * 4, row * rowBytes, (row + 1) * rowBytes);
      }
      return { x, y, width: info.width, height: info.height };
    }),
  );
  return { layer, placed };
}

/** The SVG layer: a checkerboard under each thumbnail and its label's lines under its cell. */
function drawSheetSvg(
  items: readonly ContactSheetItem[],
  placed: readonly PlacedThumbnail[],
  grid: SheetGrid,
): string {
  const { thumbPx, lineHeightPx } = grid;
  const svg = startSheetSvg(grid.width, grid.height, grid.fontPx, grid.fontFamily);
  for (const [index, item] of items.entries()) {
    const { left, top } = cellOrigin(grid, index);
    const thumb = placed[index]!;
    svg.push(
      `<rect x="${thumb.x}" y="${thumb.y}" width="${thumb.width}" height="${thumb.height}" fill="url(#c)"/>`,
    );
    wrapLabel(item.label, grid.maxChars, grid.labelLines).forEach((line, i) => {
      const baseline =
        top + thumbPx + SHEET_PADDING_PX + (i + 1) * lineHeightPx - Math.round(lineHeightPx * 0.25);
      svg.push(`<text x="${left}" y="${baseline}">${escapeXml(line)}</text>`);
    });
  }
  svg.push('</svg>');
  return svg.join('');
}

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
  const grid = layOutGrid(items.length, options);
  const { width, height } = grid;
  const { layer, placed } = await placeThumbnails(items, grid);
  return composeSheetPng(width, height, [
    { input: Buffer.from(drawSheetSvg(items, placed, grid)), left: 0, top: 0 },
    { input: layer, raw: { width, height, channels: 4 }, left: 0, top: 0 },
  ]);
}
