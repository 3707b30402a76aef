import path from 'node:path';
import { keepTokensFor } from '@vrm-lora/captioner';
import { type DatasetEntry, type EntryConditioning, writeDataset } from '@vrm-lora/dataset';
import { type Report, type ResolvedPlan, type TrainerName, writeFileAtomic } from '@vrm-lora/manifest';
import { canonicalJson, type FileHashMemo, sha256 } from '@vrm-lora/manifest/hash';
import { CONTACT_SHEET_VERSION, makeConditioningSheet, makeContactSheet } from '@vrm-lora/post';
import { type EntryState, postImage } from './entry-state.js';
import type { RunSummary } from './events.js';
import { type LastRunRecord, lastRunFile, lastRunRecord, readLastRun } from './last-run-record.js';
import { removeStaleTempFiles } from './remove-stale-temp-files.js';
import type { RunContext } from './run-context.js';

/**
 * Writes one avatar's dataset into `outDir` from the cache (each entry with an image and a caption), then its
 * `report.json`, completed here with each entry's files, the contact sheet, the run's time so far and whether a
 * browser started, and the last-run record `explain` compares against. Emits the `dataset` event; returns what
 * the run's summary lists.
 */
export async function writeRunDataset(
  run: RunContext,
  args: {
    avatar: { file: string; name: string };
    trigger: string;
    outDir: string;
    /** The cache folder, skipped when looking for stale temp files (it may sit inside `outDir`). */
    cacheRoot: string;
    states: EntryState[];
    report: Report;
    /** `performance.now()` when the run started. */
    started: number;
    browserStarted: boolean;
    /** Where files' hashes are remembered (the run's, or a watcher's across its cycles). */
    hashes: FileHashMemo;
  },
): Promise<RunSummary['outputs'][number]> {
  const { outDir, report } = args;
  // A run killed mid-write leaves `*.tmp` files beside the dataset's files: drop those first.
  await removeStaleTempFiles(outDir, [args.cacheRoot]);
  const written = await writeAvatarDataset(
    run.plan,
    args.trigger,
    outDir,
    args.states,
    (await readLastRun(outDir))?.contactSheet,
    { hashes: args.hashes, ...(run.signal ? { signal: run.signal } : {}) },
  );
  const byNumber = new Map(report.entries.map((e) => [e.number, e]));
  for (const e of report.entries) {
    const out = written.outputs.get(e.id);
    if (out) e.output = out;
  }
  for (const warning of written.warnings) {
    const entry = warning.entryNumber === undefined ? undefined : byNumber.get(warning.entryNumber);
    if (entry) {
      entry.warnings.push(warning.message);
      report.summary.warnings++;
    }
    run.emit({ type: 'warning', message: warning.message, ...(entry ? { entryId: entry.id } : {}) });
  }
  report.trainers = {
    written: written.trainers,
    skipped: written.skippedTrainers,
    reg: written.reg?.dir ?? null,
  };
  if (written.contactSheet) report.contactSheet = written.contactSheet;
  report.summary.durationMs = Math.round(performance.now() - args.started);
  report.summary.browserStarted = args.browserStarted;
  const reportFile = path.join(outDir, 'report.json');
  await writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  await writeFileAtomic(
    lastRunFile(outDir),
    `${JSON.stringify(lastRunRecord(run.plan, args.states, written.sheetRecord), null, 2)}\n`,
  );
  const contactSheet = written.contactSheet ? path.join(outDir, written.contactSheet) : null;
  run.emit({
    type: 'dataset',
    avatar: args.avatar.name,
    outDir,
    written: written.outputs.size,
    removed: written.removed,
    contactSheet,
    contactSheetReused: written.sheetReused,
    trainers: written.trainers,
  });
  return { avatar: args.avatar.file, outDir, contactSheet, report: reportFile, trainers: written.trainers };
}

/** The dataset files themselves: images, captions, masks, the contact sheet and the dataset's index. */
async function writeAvatarDataset(
  plan: ResolvedPlan,
  trigger: string,
  outDir: string,
  states: EntryState[],
  lastSheet: LastRunRecord['contactSheet'],
  control: { hashes: FileHashMemo; signal?: AbortSignal },
): Promise<{
  outputs: Map<string, { image: string; caption: string; mask?: string }>;
  removed: number;
  trainers: TrainerName[];
  skippedTrainers: { trainer: TrainerName; reason: string }[];
  reg: { dir: string } | null;
  warnings: { entryNumber?: number; message: string }[];
  contactSheet: string | null;
  sheetRecord: LastRunRecord['contactSheet'];
  sheetReused: boolean;
}> {
  const withConditioning = plan.contactSheet === 'with-conditioning';
  const { entries, shown } = datasetEntriesOf(states, keypointsOf(states), withConditioning);
  // The same images (by the hashes the cache checked) and captions as last run's, and that sheet still in
  // place untouched, mean the same bytes: reading it back costs nothing like drawing it again.
  // The with-conditioning sheet is drawn by makeConditioningSheet: its own layout version.
  const mode = withConditioning ? 'with-conditioning/2' : plan.contactSheet;
  const sheetKey = sha256(canonicalJson({ version: CONTACT_SHEET_VERSION, mode, shown }));
  const lastSheetFile = lastSheet ? path.join(outDir, lastSheet.path) : null;
  const sheetReused =
    lastSheet?.key === sheetKey &&
    lastSheetFile !== null &&
    (await control.hashes.sha256File(lastSheetFile).catch(() => null)) === lastSheet.sha256;
  const result = await writeDataset(
    outDir,
    entries,
    {
      layout: plan.layout,
      trigger,
      classToken: plan.classToken,
      repeats: plan.repeats,
      captionExtension: plan.caption.extension,
      keepTokens: keepTokensFor(
        entries.flatMap((e) => e.caption.split('\n')),
        trigger,
      ),
      trainers: plan.trainers,
      maskMode: plan.image.alphaMask,
      ...(sheetReused && lastSheetFile
        ? { contactSheet: { path: lastSheetFile } }
        : {
            makeContactSheet: (items) =>
              withConditioning ? makeConditioningSheetOf(items, entries) : makeContactSheet(items),
          }),
    },
    control,
  );
  const outputs = new Map<string, { image: string; caption: string; mask?: string }>();
  for (const o of result.outputs) {
    if (o.id) outputs.set(o.id, { image: o.image, caption: o.caption, ...(o.mask ? { mask: o.mask } : {}) });
  }
  const sheetFile = result.files.find((f) => f.path === result.contactSheet);
  return {
    outputs,
    removed: result.removed.length,
    trainers: result.trainers,
    skippedTrainers: result.skippedTrainers,
    reg: result.reg,
    warnings: result.warnings,
    contactSheet: result.contactSheet,
    sheetRecord: sheetFile ? { path: sheetFile.path, key: sheetKey, sha256: sheetFile.sha256 } : undefined,
    sheetReused: sheetReused && sheetFile !== undefined,
  };
}

/** What the contact sheet shows of an entry: number, final image (sha256), caption, conditioning images. */
type ShownEntry = [number, string, string, ...string[]];

/** Each finished entry (an image and a caption, no error) as the dataset writer takes it, and as the sheet shows it. */
function datasetEntriesOf(
  states: EntryState[],
  keypoints: Map<string, EntryConditioning['keypoints']>,
  withConditioning: boolean,
): { entries: DatasetEntry[]; shown: ShownEntry[] } {
  const shown: ShownEntry[] = [];
  const entries: DatasetEntry[] = states.flatMap((e) => {
    if (e.error || !e.post || !e.caption) return [];
    const final = postImage(e.post);
    if (!final) return [];
    shown.push([
      e.shot.number,
      final.sha256,
      e.caption.value,
      ...(withConditioning
        ? Object.values(e.conditioning ?? {}).map((c) => c.fileSha256['conditioning.png']!)
        : []),
    ]);
    const mask = e.post.files['mask.png'];
    const conditioning = e.conditioning ? conditioningOf(e, keypoints.get(e.shot.id)) : undefined;
    return [
      {
        number: e.shot.number,
        id: e.shot.id,
        jsonPath: e.shot.jsonPath,
        description: e.shot.description,
        image: { path: final.path, sha256: final.sha256 },
        imageExtension: e.post.value.extension as DatasetEntry['imageExtension'],
        width: e.shot.width,
        height: e.shot.height,
        caption: e.caption.value,
        ...(mask ? { mask: { path: mask, sha256: e.post.fileSha256['mask.png']! } } : {}),
        ...(conditioning ? { conditioning } : {}),
      },
    ];
  });
  return { entries, shown };
}

/** Each entry's keypoints and subject bounds from its render's meta (for keypoints.json), by shot id. */
function keypointsOf(states: EntryState[]): Map<string, EntryConditioning['keypoints']> {
  const out = new Map<string, EntryConditioning['keypoints']>();
  for (const e of states) {
    if (!e.conditioning || !e.render) continue;
    const { keypoints, bounds } = e.render.value.meta;
    if (keypoints) out.set(e.shot.id, { ...keypoints, bounds });
  }
  return out;
}

function conditioningOf(e: EntryState, keypoints: EntryConditioning['keypoints']): EntryConditioning {
  const images: Record<string, { path: string }> = {};
  for (const [kind, item] of Object.entries(e.conditioning ?? {}))
    images[kind] = { path: item.files['conditioning.png']! };
  return { images, ...(keypoints ? { keypoints } : {}) };
}

/** The contact sheet with each image followed by its conditioning images (`contactSheet: "with-conditioning"`). */
function makeConditioningSheetOf(
  items: { image: Buffer | string; label: string }[],
  entries: DatasetEntry[],
): Promise<Buffer> {
  const sorted = [...entries].sort((a, b) => a.number - b.number);
  return makeConditioningSheet(
    items.map((item, i) => ({
      panels: [
        item.image,
        ...Object.values(sorted[i]?.conditioning?.images ?? {}).map((s) => (Buffer.isBuffer(s) ? s : s.path)),
      ],
      label: item.label,
    })),
  );
}
