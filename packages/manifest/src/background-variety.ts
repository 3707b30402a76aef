import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { sha256 } from './hash.js';

const byte = z.number().int().min(0).max(255);
/** An opaque colour: `"#rrggbb"`, `"#rgb"` or `[r, g, b]` (0..255 sRGB). */
export const opaqueColorSchema = z.union([
  z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/),
  z.tuple([byte, byte, byte]),
]);
const wordsSchema = z
  .string()
  .regex(/^[^\r\n]*\S[^\r\n]*$/)
  .describe('The words `{background}` gives in captions for this background (one line).');

/** Gradient directions: top → bottom, left → right, top-left → bottom-right. */
export const GRADIENT_DIRECTIONS = ['vertical', 'horizontal', 'diagonal'] as const;
/** A gradient direction. */
export type GradientDirection = (typeof GRADIENT_DIRECTIONS)[number];
/** Image files `backgrounds.imagesDirectory` offers, by extension (any case). */
export const BACKGROUND_IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp'] as const;

/** `backgrounds`: a set of backgrounds composited behind the subject, one chosen per image from a seed. */
export const backgroundVarietySchema = z
  .strictObject({
    seed: z
      .number()
      .int()
      .optional()
      .describe('Which background each image gets is fixed by this number and the entry’s id. Default 0.'),
    colors: z
      .array(
        z.union([
          opaqueColorSchema,
          z.strictObject({ color: opaqueColorSchema, description: wordsSchema.optional() }),
        ]),
      )
      .optional()
      .describe(
        'Plain colours: "#rrggbb", "#rgb", [r, g, b], or { "color", "description" }. Default words: "plain <colour name> background".',
      ),
    gradients: z
      .array(
        z.strictObject({
          from: opaqueColorSchema,
          to: opaqueColorSchema,
          direction: z.enum(GRADIENT_DIRECTIONS).optional().describe('Default "vertical" (top → bottom).'),
          description: wordsSchema.optional(),
        }),
      )
      .optional()
      .describe(
        'Linear sRGB gradients. Default words: "<from> to <to> gradient background" with colour names.',
      ),
    imagesDirectory: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A folder (relative to the manifest) of .png/.jpg/.jpeg/.webp images, each scaled to cover the image and centred. Words: a same-named .txt beside the image, else the file name ("city_street.jpg" → "city street background").',
      ),
  })
  .describe(
    'vrm-lora: background variety: colours, gradients and/or a folder of images composited behind the subject, one per image, chosen from `seed` (reproducible, each used about equally often). `{background}` in captions names the one chosen. Changing it re-runs post-processing and captions only. An entry’s own background wins.',
  );

/** `backgrounds` as written. */
export type BackgroundVarietySpec = z.infer<typeof backgroundVarietySchema>;
/** An opaque colour as written. */
export type OpaqueColorSpec = z.infer<typeof opaqueColorSchema>;

/** One background the variety offers, resolved (every opaque background a shot can have). */
export type VarietyBackground =
  /** 0..255 sRGB; `backgroundGrayscale` g gives round(255·g) in each channel. */
  | { kind: 'color'; rgb: [number, number, number] }
  /** A linear sRGB gradient (`backgrounds.gradients`). */
  | {
      kind: 'gradient';
      from: [number, number, number];
      to: [number, number, number];
      direction: GradientDirection;
    }
  /** An image file scaled to cover the frame, centred (`backgrounds.imagesDirectory`); `path` absolute. */
  | { kind: 'image'; path: string };

/** A background of the variety with the caption words naming it. */
export interface VarietyChoice {
  background: VarietyBackground;
  description: string;
}

/** `"#rgb"`, `"#rrggbb"` or `[r, g, b]` → `[r, g, b]`. */
export function parseOpaqueColor(spec: OpaqueColorSpec): [number, number, number] {
  if (Array.isArray(spec)) return [spec[0], spec[1], spec[2]];
  const hex = spec.slice(1);
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as [number, number, number];
}

/**
 * A plain English name for an sRGB colour, as a caption uses it: greys by lightness (black, dark grey, grey,
 * light grey, white), other colours by hue (red, orange, yellow, green, teal, blue, purple, pink; dark orange is
 * brown), with "dark"/"light" by lightness.
 */
export function nameColor([r, g, b]: readonly [number, number, number]): string {
  const max = Math.max(r, g, b) / 255;
  const min = Math.min(r, g, b) / 255;
  const lightness = (max + min) / 2;
  const chroma = max - min;
  if (chroma < 0.1) {
    if (lightness < 0.1) return 'black';
    if (lightness < 0.35) return 'dark grey';
    if (lightness < 0.65) return 'grey';
    if (lightness < 0.92) return 'light grey';
    return 'white';
  }
  const hue = hueDegrees(r / 255, g / 255, b / 255, max, chroma);
  let name: string;
  if (hue < 15 || hue >= 340) name = 'red';
  else if (hue < 40) name = lightness < 0.4 ? 'brown' : 'orange';
  else if (hue < 68) name = 'yellow';
  else if (hue < 160) name = 'green';
  else if (hue < 195) name = 'teal';
  else if (hue < 255) name = 'blue';
  else if (hue < 290) name = 'purple';
  else name = 'pink';
  if (name === 'brown') return name;
  if (lightness < 0.3) return `dark ${name}`;
  if (lightness > 0.78) return `light ${name}`;
  return name;
}

function hueDegrees(r: number, g: number, b: number, max: number, chroma: number): number {
  let h: number;
  if (max === r) h = ((g - b) / chroma) % 6;
  else if (max === g) h = (b - r) / chroma + 2;
  else h = (r - g) / chroma + 4;
  return (h * 60 + 360) % 360;
}

/** The image files of a backgrounds folder, sorted by name (an absent folder has none). */
export function listBackgroundImages(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => (BACKGROUND_IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(n).toLowerCase()))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Caption words of a background image: its same-named `.txt`, else its file name's words + "background". */
export function describeBackgroundImage(file: string): string {
  const stem = file.slice(0, -path.extname(file).length);
  try {
    const text = fs.readFileSync(`${stem}.txt`, 'utf8').replace(/\s+/g, ' ').trim();
    if (text !== '') return text;
  } catch {}
  const words = path
    .basename(stem)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_\-.\s]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.endsWith('background') ? words : `${words} background`;
}

/** Every background `backgrounds` offers, in a fixed order: colours, gradients, then images by name. */
export function listVarietyChoices(spec: BackgroundVarietySpec, manifestDir: string): VarietyChoice[] {
  const choices: VarietyChoice[] = [];
  for (const c of spec.colors ?? []) {
    const rgb = parseOpaqueColor(typeof c === 'object' && !Array.isArray(c) ? c.color : c);
    const description =
      typeof c === 'object' && !Array.isArray(c) && c.description !== undefined
        ? c.description
        : `plain ${nameColor(rgb)} background`;
    choices.push({ background: { kind: 'color', rgb }, description });
  }
  for (const g of spec.gradients ?? []) {
    const from = parseOpaqueColor(g.from);
    const to = parseOpaqueColor(g.to);
    choices.push({
      background: { kind: 'gradient', from, to, direction: g.direction ?? 'vertical' },
      description: g.description ?? `${nameColor(from)} to ${nameColor(to)} gradient background`,
    });
  }
  if (spec.imagesDirectory !== undefined) {
    for (const file of listBackgroundImages(path.resolve(manifestDir, spec.imagesDirectory)))
      choices.push({ background: { kind: 'image', path: file }, description: describeBackgroundImage(file) });
  }
  return choices;
}

/**
 * Which choice each of `ids` gets: the ids are shuffled by sha256(seed, id) and dealt the choices in turn, so
 * each background is used about equally often, the same inputs always give the same backgrounds, and the order
 * of entries does not matter.
 */
export function assignVarietyChoices(ids: readonly string[], choiceCount: number, seed: number): number[] {
  if (choiceCount === 0) return ids.map(() => -1);
  const order = ids
    .map((id, index) => ({
      index,
      rank: sha256(`${seed}\0${id}`),
    }))
    .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.index - b.index));
  const out = new Array<number>(ids.length).fill(-1);
  order.forEach(({ index }, position) => {
    out[index] = position % choiceCount;
  });
  return out;
}
