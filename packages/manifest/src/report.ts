import { z } from 'zod';

/** `report.json`, written into every output folder by the pipeline. */
export const REPORT_FORMAT = 'vrm-lora/report';
export const REPORT_VERSION = 1;

export const STAGE_NAMES = ['bake', 'render', 'post', 'caption'] as const;
export type StageName = (typeof STAGE_NAMES)[number];
/** What `--force` may name: a stage, or the conditioning images (which it redraws, keys unchanged). */
export const FORCE_TARGETS = [...STAGE_NAMES, 'conditioning'] as const;
export type ForceTarget = (typeof FORCE_TARGETS)[number];

const stageOutcomeSchema = z.object({
  /** `cached`: served from the cache; `done`: computed in this run; `failed`; `skipped`: not reached. */
  status: z.enum(['cached', 'done', 'failed', 'skipped']),
  /** The item's cache key. */
  key: z.string().optional(),
  /** Why it was recomputed: not in the cache, damaged in the cache, or `--force`. */
  missReason: z.enum(['absent', 'corrupt', 'forced']).optional(),
  durationMs: z.number().nonnegative(),
});
export type StageOutcome = z.infer<typeof stageOutcomeSchema>;

const stageCountsSchema = z.object({
  done: z.number().int(),
  cached: z.number().int(),
  failed: z.number().int(),
  /** Items found damaged in the cache and recomputed. */
  repaired: z.number().int(),
});
export type StageCounts = z.infer<typeof stageCountsSchema>;

export const reportEntrySchema = z.object({
  id: z.string(),
  number: z.number().int(),
  jsonPath: z.string(),
  description: z.string(),
  status: z.enum(['written', 'failed']),
  error: z.string().optional(),
  warnings: z.array(z.string()),
  stages: z.partialRecord(z.enum(STAGE_NAMES), stageOutcomeSchema),
  /** Paths relative to the output folder. */
  output: z.object({ image: z.string(), caption: z.string(), mask: z.string().optional() }).optional(),
  caption: z.string().optional(),
  /**
   * Set when the entry's frame (or time) was past its clip's end and wrapped around, as CharacterStudio's
   * looping player does: the frame asked, the clip's length, and the frame used.
   */
  wrapped: z
    .object({
      clip: z.string(),
      take: z.string(),
      frameAsked: z.number().optional(),
      timeAskedSeconds: z.number().optional(),
      frameCount: z.number().int(),
      frameRate: z.number(),
      durationSeconds: z.number(),
      frameUsed: z.number(),
      timeUsedSeconds: z.number(),
    })
    .optional(),
  /** Subject bounds measured on the final pixels (distance from each edge, px). */
  measured: z
    .object({ topPx: z.number(), bottomPx: z.number(), leftPx: z.number(), rightPx: z.number() })
    .optional(),
});
export type ReportEntry = z.infer<typeof reportEntrySchema>;

export const reportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  version: z.literal(REPORT_VERSION),
  manifest: z.string(),
  avatar: z.object({ file: z.string(), sha256: z.string(), trigger: z.string() }),
  layout: z.string(),
  summary: z.object({
    entries: z.number().int(),
    written: z.number().int(),
    failed: z.number().int(),
    warnings: z.number().int(),
    durationMs: z.number(),
    browserStarted: z.boolean(),
    stages: z.record(z.enum(STAGE_NAMES), stageCountsSchema),
  }),
  contactSheet: z.string().optional(),
  /** The trainer setups written beside the dataset, those left out and why, and the regularisation folder used. */
  trainers: z
    .object({
      written: z.array(z.string()),
      skipped: z.array(z.object({ trainer: z.string(), reason: z.string() })),
      reg: z.string().nullable(),
    })
    .optional(),
  /** The manifest's warnings (`file: path: message`), as `vrm-lora validate` prints them. */
  warnings: z.array(z.string()).optional(),
  /**
   * What rendered: the GL backend (what `auto` became on this machine), the WebGL renderer string (null when
   * this run started no browser and no GPU was checked), why that backend, and whether a browser started.
   */
  renderer: z
    .object({
      glBackend: z.string(),
      glRenderer: z.string().nullable(),
      glBackendReason: z.string(),
      browserStarted: z.boolean(),
    })
    .optional(),
  entries: z.array(reportEntrySchema),
});
export type Report = z.infer<typeof reportSchema>;
