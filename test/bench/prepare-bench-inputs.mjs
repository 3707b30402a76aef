// The bench's inputs: the shared example manifest's entries whose clips are in ../shared/assets/fbx, on the
// shared heavy avatar; or, on a machine without ../shared, the project's mannequin and built-in poses.
import fs from 'node:fs';
import path from 'node:path';
import { createMannequinVrm } from '@vrm-lora/mannequin';
import { demoManifest } from '@vrm-lora/pipeline';

/** Writes the bench manifest into `workDir`; resolves to what the runs need and what was chosen. */
export async function prepareBenchInputs({ repoRoot, workDir, size }) {
  const assetsDir = process.env.VRM_LORA_SHARED_ASSETS ?? path.resolve(repoRoot, '..', 'shared', 'assets');
  const exampleFile = path.resolve(assetsDir, '..', 'examples', 'characterstudio-manifest.json');
  const avatarName = process.env.BENCH_AVATAR ?? 'Asian_F_1_Casual.vrm';
  const avatarFile = path.join(assetsDir, 'vrm', avatarName);
  const fbxDir = path.join(assetsDir, 'fbx');
  fs.mkdirSync(workDir, { recursive: true });
  const manifestFile = path.join(workDir, 'manifest.json');

  if (fs.existsSync(exampleFile) && fs.existsSync(avatarFile) && fs.existsSync(fbxDir)) {
    const example = JSON.parse(fs.readFileSync(exampleFile, 'utf8'));
    const all = example.dataCollection;
    const kept = all.filter((e) => fs.existsSync(path.join(fbxDir, e.animationPath)));
    const manifest = { ...example, width: size, height: size, dataCollection: kept };
    fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
    return {
      source: 'shared',
      manifestFile,
      animationsDir: fbxDir,
      avatarFile,
      entries: kept.length,
      skippedEntries: all.length - kept.length,
      description: `${path.basename(exampleFile)}: ${kept.length} of ${all.length} entries (clips present in ${fbxDir}), avatar ${avatarName}`,
    };
  }

  const banner = [
    '',
    '!!! ================================================================================',
    `!!! ../shared not found (looked for ${exampleFile} and ${avatarFile}).`,
    '!!! FALLBACK: the bench runs on the project mannequin with the built-in poses.',
    '!!! These figures are NOT comparable with figures taken on the shared heavy avatar.',
    '!!! Set VRM_LORA_SHARED_ASSETS to the assets folder to bench the real inputs.',
    '!!! ================================================================================',
    '',
  ].join('\n');
  process.stderr.write(`${banner}\n`);
  const mannequinFile = path.join(workDir, 'mannequin.vrm');
  fs.writeFileSync(mannequinFile, await createMannequinVrm({ specVersion: '1.0' }));
  const manifest = { ...demoManifest(), width: size, height: size };
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return {
    source: 'fallback-mannequin',
    manifestFile,
    animationsDir: null,
    avatarFile: mannequinFile,
    entries: manifest.dataCollection.length,
    skippedEntries: 0,
    description: `FALLBACK: mannequin + built-in poses (${manifest.dataCollection.length} entries); ../shared was not found`,
  };
}

/** A copy of the manifest with `edit` applied, written over `manifestFile`. */
export function editManifest(manifestFile, edit) {
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  edit(manifest);
  fs.writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * The bench manifest with every entry three times: as written, seen from the left and from behind (so
 * every copy is a distinct shot), written beside it. Cold runs of both sizes split a run's time into what
 * each shot costs and what a run costs once (browser, avatar, dataset).
 */
export function writeScaledManifest(manifestFile) {
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const copies = [null, 'left', 'back'];
  manifest.dataCollection = copies.flatMap((view) =>
    manifest.dataCollection.map((entry) =>
      view === null
        ? entry
        : { ...entry, cameraPosition: view, description: `${entry.description} ${view} view` },
    ),
  );
  const scaledFile = manifestFile.replace(/\.json$/, '.x3.json');
  fs.writeFileSync(scaledFile, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifestFile: scaledFile, entries: manifest.dataCollection.length };
}
