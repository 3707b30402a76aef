import { FORCE_TARGETS, type Report } from '@vrm-lora/manifest';
import { CONDITIONING_KINDS } from '@vrm-lora/manifest/formats';
import { z } from 'zod';

/** What a farm job carries: file paths with the sha256 of their bytes, and settings. Never code. */
export const FARM_JOB_FORMAT = 'vrm-lora/farm-job';
export const FARM_JOB_VERSION = 1;

const sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex');
const fileSchema = z.object({
  /** Absolute path, the same on every machine (shared storage mounted at one path). */
  file: z.string().refine((f) => f.startsWith('/'), 'an absolute path'),
  sha256: sha256Schema,
});

export const farmJobSchema = z
  .object({
    format: z.literal(FARM_JOB_FORMAT),
    version: z.literal(FARM_JOB_VERSION),
    /** The submitting run: its jobs' ids start with it. */
    runId: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    manifest: fileSchema,
    avatar: fileSchema,
    /** Every animation file the selected entries use (the worker checks each before the run reads it). */
    animations: z.array(fileSchema),
    /** The folder the manifest's animation paths resolve in, when the submitter overrode it. */
    animationsDir: z.string().optional(),
    only: z.string().optional(),
    strict: z.boolean(),
    /** `--skip-missing-animations`: the worker's plan leaves out the entries the submitter's left out. */
    skipMissingAnimations: z.literal(true).optional(),
    force: z.array(z.enum(FORCE_TARGETS)).optional(),
    /** `--conditioning`: the kinds for every entry without its own list (replaces the manifest's; may be empty). */
    conditioning: z.array(z.enum(CONDITIONING_KINDS)).optional(),
    /** The GL backend the submitter's render keys name. */
    glBackend: z.string().optional(),
  })
  .strict();
export type FarmJob = z.infer<typeof farmJobSchema>;

/** What a worker returns for a job: what it computed, served from the cache, and which entries failed. */
export interface FarmJobResult {
  worker: string;
  durationMs: number;
  renders: { done: number; cached: number; failed: number };
  posts: { done: number; cached: number; failed: number };
  /** Entries that failed, `<stage>: <message>` (the submitter's dataset run reports them as failed). */
  failedEntries: { number: number; error: string }[];
  /**
   * What rendered the job (report.json's `renderer`): the worker's GL backend and renderer string, and whether
   * its browser rendered for this job (false when everything was in the cache). Absent from older workers.
   */
  renderer?: Report['renderer'];
}

/** Job progress as a worker reports it (`job.updateProgress`). */
export interface FarmJobProgress {
  /** The avatar's shots served so far (rendered, from the cache, or failed), of `total` (its entries). */
  done: number;
  total: number;
}

/** A job's id: the run id and the avatar's place in the collection (`:` is not allowed in BullMQ ids). */
export function farmJobId(runId: string, index: number): string {
  return `${runId}-${String(index).padStart(6, '0')}`;
}
