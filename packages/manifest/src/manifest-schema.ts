import { z } from 'zod';
import { backgroundVarietySchema } from './background-variety.js';
import {
  CAMERA_DIRECTION_WORDS,
  CAMERA_FRAME_SPELLINGS,
  caseInsensitivePattern,
  NO_DIRECTION_MESSAGE,
} from './camera.js';
import { conditioningListSchema, contactSheetSchema } from './conditioning.js';
import { cameraDirectionProblem, MAX_IMAGE_SIDE_PIXELS, MIN_IMAGE_SIDE_PIXELS } from './shot-rules.js';
import { SIZE_PRESET_NAMES, SIZE_TEXT_PATTERN } from './size-presets.js';
import { TRAINER_NAMES } from './trainers.js';

/** Manifests bigger than this are refused before parsing (bytes). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/** Default trigger word: CharacterStudio's hard-coded caption prefix. */
export const DEFAULT_TRIGGER = 'anata';
/** Default class token (the kohya folder's `<repeats>_<trigger> <class>` name and `{class}` in captions). */
export const DEFAULT_CLASS_TOKEN = 'person';
/** Default caption template; reproduces CharacterStudio's captions exactly. */
export const DEFAULT_CAPTION_TEMPLATE = '{trigger} {description} {background}';
/** Default caption template in tag style (`caption.style: "tags"`): booru-like tags, trigger first. */
export const DEFAULT_TAG_TEMPLATE =
  '{trigger}, {class}, {frame}, {view}, {expression}, {animation}, {description}, {background}';
/** Default kohya repeats per image. */
export const DEFAULT_REPEATS = 10;
/** CharacterStudio's defaults for fields a manifest leaves out. */
export const CHARACTER_STUDIO_DEFAULTS = {
  backgroundGrayscale: 1,
  width: 512,
  height: 512,
  topFrameOffsetPixels: 64,
  bottomFrameOffsetPixels: 64,
} as const;
/** Variables a caption template may use, as `{name}`. */
export const CAPTION_TEMPLATE_VARIABLES = [
  'trigger',
  'class',
  'description',
  'background',
  'expression',
  'frame',
  'view',
  'animation',
  'number',
] as const;
/** Built-in poses, usable as `"animationPath": "builtin:<name>"` without any animation file. */
export const BUILTIN_POSE_NAMES = [
  't-pose',
  'a-pose',
  'standing-relaxed',
  'arms-crossed',
  'waving',
  'hands-on-hips',
  'sitting-floor',
  'kneeling',
  'cheering',
] as const;
/** Animation file types the baker reads (by extension, any case). */
export const ANIMATION_FILE_EXTENSIONS = ['.fbx', '.vrma'] as const;

// The side and offset limits stay zod's own checks (from shot-rules.ts' constants): the generated JSON Schema
// carries them as minimum/maximum for editors, which a refinement would not.
const sidePixels = z
  .number()
  .int()
  .min(MIN_IMAGE_SIDE_PIXELS)
  .max(MAX_IMAGE_SIDE_PIXELS, {
    error: (issue) =>
      `must be at most ${MAX_IMAGE_SIDE_PIXELS} pixels (the largest canvas every WebGL backend renders), got ${String(issue.input)}`,
  });
const offsetPixels = z.number().int().min(0);
const vec3 = z.tuple([z.number(), z.number(), z.number()]);
const byte = z.number().int().min(0).max(255);

const directionWord = `(?:${Object.keys(CAMERA_DIRECTION_WORDS).map(caseInsensitivePattern).join('|')})`;
/** JSON Schema pattern of a named camera position; conflicts such as `left-right` are checked in code. */
const namedDirectionPattern = new RegExp(`^\\s*${directionWord}(?:\\s*-\\s*${directionWord})*\\s*$`);
const cameraFramePattern = new RegExp(
  `^(?:${Object.keys(CAMERA_FRAME_SPELLINGS).map(caseInsensitivePattern).join('|')})$`,
);

/** `"transparent"`, `"#rrggbb"` / `"#rgb"`, or `[r, g, b]` with 0..255 sRGB components. */
export const backgroundSpecSchema = z
  .union([
    z.literal('transparent'),
    z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/),
    z.tuple([byte, byte, byte]),
  ])
  .describe(
    'vrm-lora: the background behind the avatar: "transparent" (keep alpha), "#rrggbb", "#rgb" or [r, g, b] (0..255 sRGB). Overrides backgroundGrayscale.',
  );

/** `size`: a model preset (a size per camera frame) or an exact `"<width>x<height>"`. */
export const sizeSpecSchema = z
  .string()
  .regex(SIZE_TEXT_PATTERN)
  .refine(
    (text) =>
      !/^\d+x\d+$/.test(text) || text.split('x').every((side) => Number(side) <= MAX_IMAGE_SIDE_PIXELS),
    {
      error: `each side must be at most ${MAX_IMAGE_SIDE_PIXELS} pixels (the largest canvas every WebGL backend renders)`,
    },
  )
  .describe(
    `vrm-lora: the image size: a model preset (${SIZE_PRESET_NAMES.map((n) => `"${n}"`).join(', ')}: a size per camera frame, full shots portrait, close-ups square; see docs/manifest.md) or "<width>x<height>" such as "832x1216". Give size or width/height, not both.`,
  );

/** Fields an entry may override for itself (vrm-lora's own). */
const entryOverrideShape = {
  size: sizeSpecSchema.optional(),
  width: sidePixels
    .optional()
    .describe('vrm-lora: this entry’s image width in pixels (overrides the top level).'),
  height: sidePixels
    .optional()
    .describe('vrm-lora: this entry’s image height in pixels (overrides the top level).'),
  topFrameOffsetPixels: offsetPixels
    .optional()
    .describe('vrm-lora: this entry’s top margin in pixels (overrides the top level).'),
  bottomFrameOffsetPixels: offsetPixels
    .optional()
    .describe('vrm-lora: this entry’s bottom margin in pixels (overrides the top level).'),
  backgroundGrayscale: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('vrm-lora: this entry’s grey background, 0 (black) .. 1 (white).'),
  background: backgroundSpecSchema.optional(),
  backgroundDescription: z
    .string()
    .optional()
    .describe('vrm-lora: this entry’s background words for the caption (overrides the top level).'),
};

/** The fields of one `dataCollection` entry. */
export const manifestEntryShape = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
    .optional()
    .describe(
      'vrm-lora: a fixed id for this entry (letters, digits, ".", "_", "-"; at most 64). Default: derived from the entry’s content.',
    ),
  animationPath: z
    .string()
    .min(1)
    .describe(
      'Animation file (.fbx or .vrma) relative to assetsLocation + animationsDirectory, or "builtin:<pose>".',
    ),
  animationTake: z
    .string()
    .min(1)
    .optional()
    .describe('vrm-lora: which take / clip of a file holding several. Default: the first.'),
  animationFrame: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('Frame of the animation to pose (integer ≥ 0). Give this or animationTime; default frame 0.'),
  animationTime: z
    .number()
    .min(0)
    .optional()
    .describe(
      'Time into the animation in seconds (CharacterStudio’s undocumented alternative to animationFrame).',
    ),
  wrapAnimation: z
    .boolean()
    .optional()
    .describe(
      'vrm-lora: wrap a frame/time past the clip’s end around to the start, as CharacterStudio does (vrm-lora warns). false: a frame past the end is an error. Default: wrapAnimations.',
    ),
  lookAtCamera: z
    .boolean()
    .optional()
    .describe('Eyes look at the camera (true) or straight ahead (false, default).'),
  conditioning: conditioningListSchema.optional(),
  expression: z
    .string()
    .nullable()
    .optional()
    .describe(
      'Expression name (VRM 1.0 preset such as "happy", a VRM 0.x name, or the model’s own). Default none.',
    ),
  cameraPosition: z
    .union([
      vec3.refine((v) => cameraDirectionProblem(v) === null, { error: NO_DIRECTION_MESSAGE }),
      z.string().regex(namedDirectionPattern),
    ])
    .optional()
    .describe(
      'Direction from the avatar to the camera: [x, y, z] or names joined by "-" in any order and case (left/right, top/up, bottom/down, front/forward, back/backward). Default "front".',
    ),
  cameraFrame: z
    .string()
    .regex(cameraFramePattern)
    .optional()
    .describe(
      'fullShot, cowboyShot, mediumShot, mediumCloseUp (mediumCloseUpShot) or closeUp (closeUpShot), any case. Default fullShot.',
    ),
  cameraLocalOffset: vec3
    .optional()
    .describe(
      'vrm-lora: metres in the camera’s own axes (x right, y up, z backward), applied after framing.',
    ),
  description: z.string().describe('Words for this image’s caption.'),
  ...entryOverrideShape,
};

/** One `dataCollection` entry as written. */
export const manifestEntrySchema = z.strictObject(manifestEntryShape);

const captionShape = {
  template: z
    .string()
    .min(1)
    .optional()
    .describe(
      `Caption template with {${CAPTION_TEMPLATE_VARIABLES.join('}, {')}}. Default "${DEFAULT_CAPTION_TEMPLATE}".`,
    ),
  style: z
    .enum(['sentence', 'tags'])
    .optional()
    .describe('"sentence" (default) or "tags": comma-separated tags with the trigger first.'),
  extension: z
    .enum(['txt', 'caption'])
    .optional()
    .describe('Caption file extension: "txt" (default) or "caption".'),
  variants: z
    .array(
      z.strictObject({
        template: z
          .string()
          .min(1)
          .optional()
          .describe('Template of this line. Default: the style’s default.'),
        style: z.enum(['sentence', 'tags']).optional().describe('"sentence" (default) or "tags".'),
      }),
    )
    .max(8)
    .optional()
    .describe(
      'vrm-lora: more caption lines per image (e.g. a tag list beside the sentence); trainers that read lines as variants pick one per step. Default [].',
    ),
  suffix: z
    .string()
    .regex(/^[^\r\n]*$/)
    .optional()
    .describe(
      'vrm-lora: words put at the end of every caption line after a comma, e.g. a style ("3d render") or quality tags. One line. Default none.',
    ),
};
/** The manifest's `caption` settings as written (every field optional). */
export const captionSettingsSchema = z.strictObject(captionShape);
/** The manifest's `caption` settings as written; the captioner reads them as they are. */
export type CaptionSettings = z.infer<typeof captionSettingsSchema>;

const imageShape = {
  format: z.enum(['png', 'webp', 'jpeg']).optional().describe('Output image format. Default "png".'),
  quality: z.number().int().min(1).max(100).optional().describe('WebP/JPEG quality 1..100. Default 90.'),
  alphaMask: z
    .enum(['none', 'alpha', 'separate'])
    .optional()
    .describe(
      'Masks for masked-loss training: "none" (default), "alpha" (keep alpha in the PNG), "separate" (mask images).',
    ),
};

/** The top-level fields except `dataCollection`. */
export const manifestTopShape = {
  $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
  assetsLocation: z
    .string()
    .optional()
    .describe('Folder of the assets, relative to the manifest file’s folder. Default "".'),
  animationsDirectory: z
    .string()
    .optional()
    .describe(
      'Folder of the animation files inside assetsLocation (leading/doubled slashes tolerated). Default "".',
    ),
  backgroundGrayscale: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Grey background, 0 (black) .. 1 (white): sRGB round(255·g). Default 1 (CharacterStudio’s).'),
  background: backgroundSpecSchema.optional(),
  backgroundDescription: z
    .string()
    .optional()
    .describe('Background words appended to every caption. Default "".'),
  backgrounds: backgroundVarietySchema.optional(),
  size: sizeSpecSchema.optional(),
  width: sidePixels.optional().describe(`Image width in pixels, 1..${MAX_IMAGE_SIDE_PIXELS}. Default 512.`),
  height: sidePixels.optional().describe(`Image height in pixels, 1..${MAX_IMAGE_SIDE_PIXELS}. Default 512.`),
  topFrameOffsetPixels: offsetPixels
    .optional()
    .describe('Pixels between the top of the image and the top of the avatar. Default 64.'),
  bottomFrameOffsetPixels: offsetPixels
    .optional()
    .describe('Pixels between the avatar’s lowest point and the image bottom (full shots). Default 64.'),
  avatar: z
    .string()
    .min(1)
    .optional()
    .describe('vrm-lora: the VRM file, relative to the manifest. --vrm replaces it.'),
  avatars: z
    .array(z.string().min(1))
    .optional()
    .describe('vrm-lora: several VRM files, one dataset each. --vrm replaces them.'),
  trigger: z
    .string()
    .regex(/^[^\r\n]*\S[^\r\n]*$/)
    .optional()
    .describe(`vrm-lora: the trigger word. Default "${DEFAULT_TRIGGER}" (CharacterStudio’s).`),
  classToken: z
    .string()
    .regex(/^[^\r\n]*\S[^\r\n]*$/)
    .optional()
    .describe(`vrm-lora: the class token. Default "${DEFAULT_CLASS_TOKEN}".`),
  caption: captionSettingsSchema.optional().describe('vrm-lora: caption settings.'),
  repeats: z
    .number()
    .int()
    .min(1)
    .max(10000)
    .optional()
    .describe(`vrm-lora: kohya repeats per image. Default ${DEFAULT_REPEATS}.`),
  layout: z
    .enum(['kohya', 'flat', 'jsonl'])
    .optional()
    .describe('vrm-lora: dataset layout: "kohya" (default), "flat" or "jsonl".'),
  image: z.strictObject(imageShape).optional().describe('vrm-lora: output image settings.'),
  trainers: z
    .array(z.enum(TRAINER_NAMES))
    .optional()
    .describe(
      `vrm-lora: trainers to write setups for beside the dataset (${TRAINER_NAMES.join(', ')}). Default: every one the layout and captions suit. --trainers replaces it.`,
    ),
  conditioning: conditioningListSchema.optional(),
  contactSheet: contactSheetSchema.optional(),
  wrapAnimations: z
    .boolean()
    .optional()
    .describe(
      'vrm-lora: default of every entry’s wrapAnimation. Default true (wrap with a warning, as CharacterStudio wraps); --strict makes the default false.',
    ),
};

/** The whole manifest: CharacterStudio's "LoRA data creator" format plus vrm-lora's optional fields. */
export const manifestSchema = z.strictObject({
  ...manifestTopShape,
  dataCollection: z.array(manifestEntrySchema).min(1).describe('The shots, one image each.'),
});

/** A manifest as written (after JSON parsing and validation). */
export type Manifest = z.infer<typeof manifestSchema>;
/** One `dataCollection` entry as written. */
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
/** A background as written. */
export type BackgroundSpec = z.infer<typeof backgroundSpecSchema>;

/** Keys allowed in each object of the manifest, for unknown-key checks. */
export const MANIFEST_KEYS = {
  top: [...Object.keys(manifestTopShape), 'dataCollection'],
  entry: Object.keys(manifestEntryShape),
  caption: Object.keys(captionShape),
  image: Object.keys(imageShape),
} as const;

/** The field schemas by object, used to check a manifest field by field. */
export const MANIFEST_FIELD_SCHEMAS = {
  top: manifestTopShape as Record<string, z.ZodType>,
  entry: manifestEntryShape as Record<string, z.ZodType>,
} as const;

/**
 * The manifest's JSON Schema (draft 2020-12), generated from {@link manifestSchema}: point a manifest's
 * `$schema` at it and editors complete and check fields.
 */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(manifestSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >;
  return {
    ...schema,
    title: 'vrm-lora manifest',
    description:
      'A CharacterStudio "LoRA data creator" manifest, plus vrm-lora’s optional fields. See docs/manifest.md.',
  };
}
