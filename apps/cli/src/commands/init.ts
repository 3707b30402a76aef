import fs from 'node:fs';
import path from 'node:path';
import { checkFolderUsable, resolveAnimationsDir, writeFileAtomic } from '@vrm-lora/manifest';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { formatManifestJsonSchema } from './schema.js';

/** File names `vrm-lora init` writes. */
export const INIT_MANIFEST_FILE = 'manifest.json';
export const INIT_SCHEMA_FILE = 'manifest.schema.json';

/** The starter manifest: CharacterStudio's fields plus vrm-lora's, on built-in poses so it runs as is. */
export function starterManifest(): Record<string, unknown> {
  return {
    $schema: `./${INIT_SCHEMA_FILE}`,
    trigger: 'anata',
    classToken: 'person',
    assetsLocation: './',
    animationsDirectory: '/animations/',
    backgroundGrayscale: 1,
    backgroundDescription: 'plain white background',
    width: 1024,
    height: 1024,
    topFrameOffsetPixels: 64,
    bottomFrameOffsetPixels: 64,
    dataCollection: [
      {
        animationPath: 'builtin:standing-relaxed',
        lookAtCamera: true,
        expression: 'happy',
        cameraPosition: 'front',
        cameraFrame: 'fullShot',
        description: 'a person standing relaxed full shot',
      },
      {
        animationPath: 'builtin:waving',
        lookAtCamera: true,
        expression: 'happy',
        cameraPosition: 'front-left',
        cameraFrame: 'cowboyShot',
        description: 'a person waving cowboy shot',
      },
      {
        animationPath: 'builtin:arms-crossed',
        lookAtCamera: false,
        expression: 'angry',
        cameraPosition: 'right',
        cameraFrame: 'mediumShot',
        description: 'a person with arms crossed medium shot',
      },
      {
        animationPath: 'builtin:sitting-floor',
        lookAtCamera: false,
        cameraPosition: [-0.5, 0.5, 1],
        cameraFrame: 'fullShot',
        description: 'a person sitting on the floor seen from above',
      },
      {
        animationPath: 'builtin:a-pose',
        lookAtCamera: false,
        cameraPosition: 'back',
        cameraFrame: 'fullShot',
        description: 'a person standing seen from behind',
      },
      {
        animationPath: 'builtin:t-pose',
        lookAtCamera: true,
        cameraPosition: 'front',
        cameraFrame: 'closeUp',
        description: 'a close-up of a person’s face',
      },
    ],
  };
}

/** `vrm-lora init [dir]`: a starter manifest with `$schema`, the schema beside it, and the next step. */
export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      `write a starter ${INIT_MANIFEST_FILE} (with "$schema") and ${INIT_SCHEMA_FILE} into a folder`,
    )
    .argument('[dir]', 'folder to write into (created if missing)', '.')
    .option('--force', 'overwrite existing files')
    .action(async (dir: string, flags: { force?: boolean }) => {
      const folder = path.resolve(dir);
      const problem = await checkFolderUsable(folder);
      if (problem) {
        process.stderr.write(`vrm-lora init: ${folder} ${problem}; give another folder\n`);
        process.exitCode = exitCodes.invalidInput;
        return;
      }
      const manifestFile = path.join(folder, INIT_MANIFEST_FILE);
      const schemaFile = path.join(folder, INIT_SCHEMA_FILE);
      const existing = [manifestFile, schemaFile].filter((f) => fs.existsSync(f));
      if (existing.length > 0 && !flags.force) {
        process.stderr.write(
          `vrm-lora init: ${existing.join(' and ')} already exist${existing.length === 1 ? 's' : ''}; ` +
            'pass --force to overwrite, or give another folder\n',
        );
        process.exitCode = exitCodes.invalidInput;
        return;
      }
      await writeFileAtomic(schemaFile, formatManifestJsonSchema());
      const starter = starterManifest();
      await writeFileAtomic(manifestFile, `${JSON.stringify(starter, null, 2)}\n`);
      // The starter's animations folder, made empty, so the clips have their place.
      const clips = resolveAnimationsDir(
        folder,
        starter.assetsLocation as string,
        starter.animationsDirectory as string,
      );
      await fs.promises.mkdir(clips, { recursive: true });
      const shown = path.relative(process.cwd(), manifestFile) || manifestFile;
      process.stdout.write(
        `wrote ${shown} and ${INIT_SCHEMA_FILE} beside it.\n\n` +
          'Next:\n' +
          '  1. Edit it: put Mixamo .fbx / .vrma clips in the animations/ folder beside it and name them in\n' +
          '     "animationPath" (built-in poses such as "builtin:waving" need no file).\n' +
          `  2. vrm-lora validate ${shown} --vrm your-avatar.vrm\n` +
          `  3. vrm-lora run ${shown} --vrm your-avatar.vrm --out dataset\n` +
          'Every field is described in docs/manifest.md; editors complete them from the schema.\n',
      );
    });
}
