import { z } from 'zod';

/** The collection's `report.json`, written into the output folder of a run over several avatars. */
export const COLLECTION_REPORT_FORMAT = 'vrm-lora/collection-report';
export const COLLECTION_REPORT_VERSION = 1;

export const collectionAvatarSchema = z.object({
  /** The VRM file, as given. */
  file: z.string(),
  /** sha256 of its bytes; empty when it could not be read. */
  sha256: z.string(),
  trigger: z.string(),
  /** The avatar's dataset folder, relative to the collection's output folder. */
  outDir: z.string(),
  /** `written`: its dataset is written (some entries may have failed); `failed`: no dataset (bad avatar). */
  status: z.enum(['written', 'failed']),
  /** Why the avatar failed, with the fix. */
  error: z.string().optional(),
  /** Entries written and failed, and warnings, from its own `report.json`. */
  written: z.number().int(),
  failed: z.number().int(),
  warnings: z.number().int(),
  /** Its own `report.json`, relative to the collection's output folder. */
  report: z.string().optional(),
  /** The image shown for it on the collection's contact sheet, relative to the collection's output folder. */
  shown: z.string().optional(),
});
export type CollectionAvatar = z.infer<typeof collectionAvatarSchema>;

export const collectionReportSchema = z.object({
  format: z.literal(COLLECTION_REPORT_FORMAT),
  version: z.literal(COLLECTION_REPORT_VERSION),
  manifest: z.string(),
  summary: z.object({
    avatars: z.number().int(),
    /** Avatars whose dataset was written. */
    written: z.number().int(),
    /** Avatars that failed as a whole (no dataset). */
    failed: z.number().int(),
    /** Images written over every avatar. */
    images: z.number().int(),
    /** Entries that failed over every written avatar. */
    failedEntries: z.number().int(),
  }),
  /**
   * Contact sheets of one shot per avatar (up to 100 avatars each, in the order of `avatars`), relative to the
   * collection's output folder.
   */
  contactSheets: z.array(z.string()),
  avatars: z.array(collectionAvatarSchema),
});
export type CollectionReport = z.infer<typeof collectionReportSchema>;
