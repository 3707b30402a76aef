import type { PngOptions } from 'sharp';

/**
 * PNG encoder settings of every PNG this package writes (final images, separate masks, the contact sheet). PNG is
 * lossless: these change the time and the file size, never a pixel.
 *
 * Why zlib level 4 without filtering: CPU is what a run is short of (Chromium renders on every core), and level 9
 * buys little. Measured with sharp 0.35.5 (libpng 1.6.58, zlib-ng 2.3.3), CPU ms per encode, best of 3:
 * - 13 avatar shots, 1024², grey background, RGB: level 9 54.3 ms / 357.1 KiB; 6: 11.8 ms, +5.5 %; 4: 9.3 ms,
 *   +6.0 %; 3: 8.8 ms, +6.4 %; 2: 7.8 ms, +11.0 %. Alpha kept (RGBA): 9: 43.6 ms; 4: 12.4 ms, +7.1 %; 3: 10.4 ms,
 *   +8.8 %; 2: 9.3 ms, +15.7 %.
 * - 12 mannequin shots, 512²: RGB 9: 16.5 ms; 4: 3.1 ms, +8.6 % (3: +10.8 %, 2: +26.7 %); alpha kept 4: +12.7 %
 *   (3: +17.9 %). Level 4 is the fastest level within ~13 % of level 9 on every set.
 * - Separate mask, 1024²: 9: 14.4 ms / 6.2 KiB; 4: 1.7 ms / 8.9 KiB.
 * - Contact sheet of the 13 avatar shots: 9: 67.8 ms / 491.5 KiB; 4: 12.6 ms / 544.6 KiB (+10.8 %).
 * Adaptive filtering makes files ~35 % smaller but costs 3–4× the time of the same level (avatar RGB, level 6:
 * 34 ms for 222 KiB against 51.5 ms for 335 KiB at level 9 unfiltered). Figures: `packages/post/bench`.
 */
export const PNG_OPTIONS: PngOptions = { compressionLevel: 4, adaptiveFiltering: false, palette: false };
