import type { TrainerName } from '@vrm-lora/manifest';
import { describeEntry } from './check-entries.js';
import type {
  DatasetEntry,
  DatasetWarning,
  PlannedFile,
  RegImages,
  SkippedTrainer,
} from './dataset-types.js';
import { chooseTrainers, planTrainerFiles } from './plan-trainer-files.js';
import type { PlanSettings } from './resolve-plan-settings.js';
import { bucketWarnings, type TrainerDatasetInfo } from './trainer-dataset-info.js';

/** Result of {@link planDatasetTrainers}. */
export interface DatasetTrainersPlan {
  files: PlannedFile[];
  trainers: TrainerName[];
  skippedTrainers: SkippedTrainer[];
  warnings: DatasetWarning[];
}

/** What every trainer setup is written from, with folders as the configs write them. */
function makeTrainerDatasetInfo(
  sorted: readonly DatasetEntry[],
  settings: PlanSettings,
  reg: RegImages | null,
  lines: readonly string[][],
): TrainerDatasetInfo {
  const { configPath } = settings;
  return {
    imageDir: configPath(settings.imageDir),
    maskDir: settings.maskDir ? configPath(settings.maskDir) : null,
    regDir: reg ? configPath(reg.dir) : null,
    reg,
    maskMode: settings.maskMode,
    captionExtension: settings.captionExtension,
    repeats: settings.repeats,
    trigger: settings.trigger,
    classToken: settings.classToken,
    classTokens: settings.classTokens,
    keepTokens: settings.keepTokens,
    sizes: sorted.map((entry) => [entry.width, entry.height] as const),
    imageExtensions: sorted.map((entry) => entry.imageExtension),
    multiLineCaptions: lines.some((entryLines) => entryLines.length > 1),
    captionLines: lines.flat(),
  };
}

/**
 * The trainer setups of a dataset with entries (`sorted` in entry-number order, `imageNames` their image files):
 * the trainers `requested` (default: every one the dataset suits), their files (`planTrainerFiles`) and the
 * warnings for sizes off the bucket step.
 */
export function planDatasetTrainers(
  sorted: readonly DatasetEntry[],
  imageNames: readonly string[],
  settings: PlanSettings,
  reg: RegImages | null,
  requested: readonly TrainerName[] | null | undefined,
): DatasetTrainersPlan {
  const lines = sorted.map((entry) => entry.caption.split('\n'));
  const info = makeTrainerDatasetInfo(sorted, settings, reg, lines);
  const { trainers, skipped } = chooseTrainers(requested, settings.layout, info);
  const files = planTrainerFiles({
    layout: settings.layout,
    imageDirRelative: settings.imageDir,
    info,
    trainers,
    skipped,
    metadata: sorted.map((_entry, i) => ({ fileName: imageNames[i] ?? '', lines: lines[i] ?? [] })),
  });
  const warnings = bucketWarnings(sorted.map((entry) => ({ ...entry, label: describeEntry(entry) })));
  return { files, trainers, skippedTrainers: skipped, warnings };
}
