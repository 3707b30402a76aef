import path from 'node:path';
import { loadPlanOrThrow, PipelineInputError, selectEntries, sha256File } from '@vrm-lora/pipeline';
import { FARM_JOB_FORMAT, FARM_JOB_VERSION, type FarmJob } from './farm-job.js';

/** What a submission's jobs share, from the run's options. */
export interface FarmJobSettings {
  manifestFile: string;
  animationsDir?: string;
  only?: string;
  strict?: boolean;
  skipMissingAnimations?: boolean;
  force?: FarmJob['force'];
  conditioning?: FarmJob['conditioning'];
  glBackend?: string;
}

/**
 * One job per avatar: the manifest, the avatar and every animation file the selected entries use, each with the
 * sha256 of its bytes now. An avatar that cannot be read gets its error instead of a job. Throws
 * `PipelineInputError` when the manifest or `only` is bad (nothing would render).
 */
export async function buildFarmJobs(
  runId: string,
  settings: FarmJobSettings,
  vrmPaths: string[],
): Promise<({ job: FarmJob } | { error: string })[]> {
  const manifestFile = path.resolve(settings.manifestFile);
  const plan = await loadPlanOrThrow(manifestFile, {
    animationsDir: settings.animationsDir,
    vrmPaths: vrmPaths.slice(0, 1),
    ...(settings.skipMissingAnimations ? { skipMissingAnimations: true } : {}),
    ...(settings.conditioning ? { conditioning: settings.conditioning } : {}),
  });
  const selected = selectEntries(plan.shots, settings.only);
  if (typeof selected === 'string') throw new PipelineInputError(selected);
  const animationFiles = [
    ...new Set(selected.flatMap((s) => (s.animation.kind === 'file' ? [s.animation.path] : []))),
  ].sort();
  const animations = await Promise.all(
    animationFiles.map(async (file) => ({ file, sha256: await sha256File(file) })),
  );
  const manifest = { file: manifestFile, sha256: await sha256File(manifestFile) };
  const out: ({ job: FarmJob } | { error: string })[] = [];
  for (const file of vrmPaths) {
    const sha256 = await sha256File(file).catch((error: NodeJS.ErrnoException) => {
      out.push({ error: `${file}: cannot be read (${error.code ?? error.message}); check the path` });
      return null;
    });
    if (sha256 === null) continue;
    out.push({
      job: {
        format: FARM_JOB_FORMAT,
        version: FARM_JOB_VERSION,
        runId,
        manifest,
        avatar: { file, sha256 },
        animations,
        ...(settings.animationsDir ? { animationsDir: path.resolve(settings.animationsDir) } : {}),
        ...(settings.only ? { only: settings.only } : {}),
        strict: settings.strict ?? false,
        ...(settings.skipMissingAnimations ? { skipMissingAnimations: true } : {}),
        ...(settings.force ? { force: settings.force } : {}),
        ...(settings.conditioning ? { conditioning: settings.conditioning } : {}),
        ...(settings.glBackend ? { glBackend: settings.glBackend } : {}),
      },
    });
  }
  return out;
}
