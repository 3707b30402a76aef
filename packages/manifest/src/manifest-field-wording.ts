// The wording of the manifest's fields where zod's issue kinds say too little, one entry per field, as much a
// part of a field's definition as its schema in manifest-schema.ts: a new field adds its schema there and, only
// if the generic wording does not serve, a line here. validateManifest reads it for every field.
import { parseCameraDirection, parseCameraFrame } from './camera.js';
import { describeValue } from './findings.js';
import { isCameraFrame, MAX_IMAGE_SIDE_PIXELS } from './shot-rules.js';

/**
 * How a field's problems are worded where zod's issue kinds say too little: part of the field's definition,
 * beside its schema. Validation (`validateManifest`) reads it for every field; a field without an entry gets
 * the generic wording of each zod issue.
 */
export interface FieldWording {
  /** The field's own parser (camera names and frames): its message, or null when the value is valid. */
  parse?: (value: unknown) => string | null;
  /** One message for any problem of the field, given the value. */
  invalid?: (value: unknown) => string;
  /** What "is required: …" names. */
  required?: string;
  /** The message of a pattern problem (followed by ", got <value>"). */
  format?: string;
  /** The message of a too-big value, or undefined for the generic one. */
  tooBig?: (issue: { input: unknown; maximum: unknown; message: string }) => string | undefined;
}

/** Wording per field name (the same at the top level and in an entry). */
export const MANIFEST_FIELD_WORDING: Readonly<Record<string, FieldWording>> = {
  cameraPosition: {
    parse: (value) => {
      const parsed = parseCameraDirection(value);
      return typeof parsed === 'string' ? parsed : null;
    },
  },
  cameraFrame: {
    parse: (value) => {
      const parsed = parseCameraFrame(value);
      return isCameraFrame(parsed) ? null : parsed;
    },
  },
  cameraLocalOffset: {
    invalid: (value) =>
      `must be 3 numbers [x, y, z] in metres (camera axes: x right, y up, z backward), got ${describeValue(value)}`,
  },
  background: {
    invalid: (value) =>
      `must be "transparent", a colour "#rrggbb" or "#rgb", or [r, g, b] with whole numbers 0..255; got ${describeValue(value)}`,
  },
  animationPath: { required: 'the animation file, e.g. "Walking.fbx", or "builtin:<pose>"' },
  description: { required: 'the words for this image’s caption, e.g. "a person waving full shot"' },
  id: { format: 'must be 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit' },
  trigger: { format: 'must be a word or phrase on one line, not empty' },
  classToken: { format: 'must be a word or phrase on one line, not empty' },
  backgrounds: {
    format: 'must be a colour "#rrggbb", "#rgb" or [r, g, b] (0..255); descriptions are one line of words',
  },
  size: {
    format: 'must be a model preset ("sd15", "sdxl", "flux") or "<width>x<height>" such as "832x1216"',
  },
  // The schema words it (`sidePixels`).
  width: { tooBig: (issue) => (issue.maximum === MAX_IMAGE_SIDE_PIXELS ? issue.message : undefined) },
  height: { tooBig: (issue) => (issue.maximum === MAX_IMAGE_SIDE_PIXELS ? issue.message : undefined) },
  backgroundGrayscale: {
    tooBig: ({ input }) =>
      Number.isInteger(input) && (input as number) >= 2 && (input as number) <= 255
        ? `must be at most 1, got ${input}; it is a fraction 0..1 (for a 0..255 colour use "background": [r, g, b])`
        : undefined,
  },
};
