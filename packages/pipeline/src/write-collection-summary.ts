import path from 'node:path';
import {
  COLLECTION_REPORT_FORMAT,
  COLLECTION_REPORT_VERSION,
  type CollectionAvatar,
  type CollectionReport,
  writeFileAtomic,
} from '@vrm-lora/manifest';
import { makeContactSheet } from '@vrm-lora/post';

/** Avatars per contact sheet: 10 × 10 thumbnails of 160 px keep a sheet near 1800 × 2600 px. */
const AVATARS_PER_SHEET = 100;

/**
 * Writes a collection's `report.json` and its contact sheets (one shot per written avatar, labelled with its
 * trigger; `contact-sheet.png`, or `contact-sheet-1.png`, `-2`, … past 100 avatars) into `outDir`.
 */
export async function writeCollectionSummary(
  outDir: string,
  manifestFile: string,
  avatars: CollectionAvatar[],
): Promise<{ report: CollectionReport; reportFile: string }> {
  const shown = avatars.filter((a) => a.shown);
  const pages = Math.ceil(shown.length / AVATARS_PER_SHEET);
  const contactSheets: string[] = [];
  for (let page = 0; page < pages; page++) {
    const name = pages === 1 ? 'contact-sheet.png' : `contact-sheet-${page + 1}.png`;
    const items = shown.slice(page * AVATARS_PER_SHEET, (page + 1) * AVATARS_PER_SHEET).map((a) => ({
      image: path.join(outDir, a.shown!),
      label: a.trigger,
    }));
    await writeFileAtomic(
      path.join(outDir, name),
      await makeContactSheet(items, { thumbnailPx: 160, labelLines: 2, columns: 10 }),
    );
    contactSheets.push(name);
  }
  const written = avatars.filter((a) => a.status === 'written');
  const report: CollectionReport = {
    format: COLLECTION_REPORT_FORMAT,
    version: COLLECTION_REPORT_VERSION,
    manifest: manifestFile,
    summary: {
      avatars: avatars.length,
      written: written.length,
      failed: avatars.length - written.length,
      images: written.reduce((n, a) => n + a.written, 0),
      failedEntries: written.reduce((n, a) => n + a.failed, 0),
    },
    contactSheets,
    avatars,
  };
  const reportFile = path.join(outDir, 'report.json');
  await writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  return { report, reportFile };
}
