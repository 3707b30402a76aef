import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@vrm-lora/manifest';
import { createMannequinVrm } from '@vrm-lora/mannequin';

type DemoEntry = [
  pose: string,
  camera: string,
  frame: string,
  expression: string | null,
  lookAt: boolean,
  text: string,
];

/** The demo's shots: every built-in pose, the five frames, six directions, several expressions. */
const demoEntries: DemoEntry[] = [
  ['standing-relaxed', 'front', 'fullShot', 'happy', true, 'a mannequin standing relaxed'],
  ['waving', 'front-left', 'fullShot', 'happy', true, 'a mannequin waving'],
  ['arms-crossed', 'right', 'mediumShot', 'angry', false, 'a mannequin with arms crossed'],
  ['hands-on-hips', 'front', 'cowboyShot', 'relaxed', true, 'a mannequin with hands on hips'],
  ['cheering', 'front-top', 'fullShot', 'happy', false, 'a mannequin cheering'],
  ['sitting-floor', 'left-front', 'fullShot', null, false, 'a mannequin sitting on the floor'],
  ['kneeling', 'front-right', 'fullShot', 'sad', false, 'a mannequin kneeling'],
  ['a-pose', 'back', 'fullShot', null, false, 'a mannequin in an a-pose seen from behind'],
  ['t-pose', 'front', 'fullShot', null, false, 'a mannequin in a t-pose'],
  ['waving', 'front', 'closeUp', 'happy', true, 'a mannequin waving close-up'],
  ['standing-relaxed', 'front-left', 'mediumCloseUp', 'surprised', true, 'a surprised mannequin'],
  ['cheering', 'bottom-front', 'fullShot', 'happy', false, 'a mannequin cheering seen from below'],
];

/** The bundled demo manifest, CharacterStudio's format with built-in poses. */
export function demoManifest(): Record<string, unknown> {
  return {
    assetsLocation: './',
    animationsDirectory: './',
    backgroundGrayscale: 0.5,
    backgroundDescription: 'plain grey background',
    width: 512,
    height: 512,
    topFrameOffsetPixels: 32,
    bottomFrameOffsetPixels: 32,
    dataCollection: demoEntries.map(([pose, camera, frame, expression, lookAt, text]) => ({
      animationPath: `builtin:${pose}`,
      animationFrame: 0,
      lookAtCamera: lookAt,
      ...(expression ? { expression } : {}),
      cameraPosition: camera,
      cameraFrame: frame,
      description: text,
    })),
  };
}

/**
 * Writes the demo's inputs into `<outDir>/demo-input/`: `manifest.json` (unless the user already has one
 * there) and `mannequin.vrm` (the project's own generated avatar). Needs no other file and no download.
 */
export async function prepareDemo(outDir: string): Promise<{ manifestFile: string; vrmFile: string }> {
  const dir = path.join(outDir, 'demo-input');
  const manifestFile = path.join(dir, 'manifest.json');
  const vrmFile = path.join(dir, 'mannequin.vrm');
  // Kept when present, so a user can edit the demo's manifest and run the demo again.
  if (!(await exists(manifestFile)))
    await writeFileAtomic(manifestFile, `${JSON.stringify(demoManifest(), null, 2)}\n`);
  await writeFileAtomic(vrmFile, await createMannequinVrm({ specVersion: '1.0' }));
  return { manifestFile, vrmFile };
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
