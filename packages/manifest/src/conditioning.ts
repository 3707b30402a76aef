import { z } from 'zod';
import { CONDITIONING_KINDS, CONTACT_SHEET_MODES } from './formats.js';

/** The manifest's `conditioning` list (top level or per entry). */
export const conditioningListSchema = z
  .array(z.enum(CONDITIONING_KINDS))
  .describe(
    `vrm-lora: conditioning images to write beside each image: any of ${CONDITIONING_KINDS.map((k) => `"${k}"`).join(', ')}. Default none; an entry's own list replaces the top-level one.`,
  );

export const contactSheetSchema = z
  .enum(CONTACT_SHEET_MODES)
  .describe(
    'vrm-lora: what contact-sheet.png shows: "images" (default) or "with-conditioning" (each image with its conditioning images beside it).',
  );
