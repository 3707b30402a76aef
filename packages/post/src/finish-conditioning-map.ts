import sharp from 'sharp';
import { PNG_OPTIONS } from './png-options.js';

/** How far (px) a map's value is carried into image pixels the mesh render did not cover (outlines, edges). */
export const MAP_FILL_RADIUS_PX = 8;

/** A raw map as the renderer draws it: RGBA rows, alpha 255 where the mesh covers a pixel. */
export interface ConditioningMapInput {
  kind: 'depth' | 'normal';
  width: number;
  height: number;
  map: Uint8Array;
  /** The shot's rendered image (PNG with alpha): its alpha > 0 is the silhouette the map must have. */
  imagePng: Buffer;
}

export interface ConditioningMapResult {
  /** RGB PNG, black background. */
  png: Buffer;
  /** Image pixels the map did not cover, filled from the nearest covered pixel (MToon outlines, antialiasing). */
  filledPx: number;
  /** Map pixels outside the image's silhouette (alpha-cut texels), cleared to black. */
  clearedPx: number;
}

/**
 * Turns a raw map into the conditioning image: depth as grey, normals in the ControlNet normal convention
 * (red = facing left, green = up, blue = towards the viewer: three.js's view-space red is flipped), cut to the
 * image's silhouette: black where the image's alpha is 0, and image pixels the mesh render missed (an outline
 * drawn past the mesh, an antialiased edge) take the nearest covered pixel's value within
 * {@link MAP_FILL_RADIUS_PX} px. So the map's non-black pixels are exactly the image's alpha > 0.
 */
export async function finishConditioningMap(input: ConditioningMapInput): Promise<ConditioningMapResult> {
  const { width, height, map, kind } = input;
  const { data: image, info } = await sharp(input.imagePng)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height) {
    throw new Error(
      `the ${kind} map is ${width}×${height} but its image is ${info.width}×${info.height}; render the entry again`,
    );
  }
  const n = width * height;
  const out = Buffer.alloc(n * 3);
  const has = new Uint8Array(n);
  let clearedPx = 0;
  for (let p = 0; p < n; p++) {
    const covered = map[p * 4 + 3]! > 0;
    const inside = image[p * 4 + 3]! > 0;
    if (covered && !inside) clearedPx++;
    if (!covered || !inside) continue;
    has[p] = 1;
    const r = map[p * 4]!;
    out[p * 3] = kind === 'normal' ? 255 - r : r;
    out[p * 3 + 1] = kind === 'normal' ? map[p * 4 + 1]! : r;
    out[p * 3 + 2] = kind === 'normal' ? map[p * 4 + 2]! : r;
  }
  const filledPx = fillFromNeighbours(out, has, image, width, height);
  return {
    png: await sharp(out, { raw: { width, height, channels: 3 } })
      .png(PNG_OPTIONS)
      .toBuffer(),
    filledPx,
    clearedPx,
  };
}

/** Grows covered values into uncovered silhouette pixels, one ring per pass; the rest get the first fallback. */
function fillFromNeighbours(
  out: Buffer,
  has: Uint8Array,
  image: Buffer,
  width: number,
  height: number,
): number {
  let missing: number[] = [];
  for (let p = 0; p < has.length; p++) if (!has[p] && image[p * 4 + 3]! > 0) missing.push(p);
  const total = missing.length;
  for (let pass = 0; pass < MAP_FILL_RADIUS_PX && missing.length > 0; pass++) {
    const filled: [number, number][] = [];
    const still: number[] = [];
    for (const p of missing) {
      const x = p % width;
      const y = (p - x) / width;
      let from = -1;
      for (const [dx, dy] of NEIGHBOURS) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        if (has[ny * width + nx]) {
          from = ny * width + nx;
          break;
        }
      }
      if (from >= 0) filled.push([p, from]);
      else still.push(p);
    }
    for (const [p, from] of filled) {
      out.copyWithin(p * 3, from * 3, from * 3 + 3);
      has[p] = 1;
    }
    missing = still;
  }
  // Farther than the radius from any covered pixel (rare: a card's texels with no mesh behind): mid grey.
  for (const p of missing) out.fill(128, p * 3, p * 3 + 3);
  return total;
}

const NEIGHBOURS: readonly [number, number][] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
  [-1, -1],
  [1, -1],
  [-1, 1],
  [1, 1],
];
