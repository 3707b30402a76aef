import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '@vrm-lora/manifest';
import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { outputFileProblem } from '../output-file.js';
import { runPipelineCommand } from './pipeline-options.js';

interface ShotFlags {
  vrm: string;
  animation: string;
  frame?: string;
  time?: string;
  camera: string;
  frameType: string;
  expression?: string;
  lookAtCamera?: boolean;
  width: string;
  height: string;
  top: string;
  bottom: string;
  background: string;
  offset?: string;
  output: string;
  cacheDir?: string;
  strict?: boolean;
  chromium?: string;
  glBackend?: string;
  json?: boolean;
}

/** `vrm-lora shot`: one image for debugging, through the same stages (and checks) as a manifest entry. */
export function registerShot(program: Command): void {
  program
    .command('shot')
    .description('render one shot to an image, for debugging')
    .requiredOption('--vrm <file>', 'VRM avatar')
    .requiredOption('--animation <file>', 'FBX/VRMA file or builtin:<name>')
    .option('--frame <n>', "frame index at the clip's own rate", '0')
    .option('--time <seconds>', 'time in seconds (instead of --frame)')
    .option('--camera <position>', 'named position (front-left-top…) or x,y,z', 'front')
    .option('--frame-type <frame>', 'fullShot, cowboyShot, mediumShot, mediumCloseUp, closeUp', 'fullShot')
    .option('--expression <name>', 'expression to show')
    .option('--look-at-camera', 'eyes look at the camera')
    .option('--width <px>', 'image width', '1024')
    .option('--height <px>', 'image height', '1024')
    .option('--top <px>', 'top frame offset', '64')
    .option('--bottom <px>', 'bottom frame offset', '64')
    .option('--background <value>', 'grey 0..1, #rrggbb, or transparent', 'transparent')
    .option('--offset <x,y,z>', 'camera local offset in metres')
    .requiredOption('-o, --output <file>', 'image to write (.png)')
    .option('--cache-dir <dir>', 'cache folder', path.join(os.tmpdir(), 'vrm-lora-shot-cache'))
    .option('--strict', 'a missing expression is an error')
    .option('--chromium <path>', 'browser executable')
    .option('--gl-backend <backend>', 'GL backend')
    .option('--json', 'JSON progress events')
    .action(async (flags: ShotFlags) => {
      const problem = await shotFlagsProblem(flags);
      if (problem) {
        process.stderr.write(`vrm-lora shot: ${problem}\n`);
        process.exitCode = exitCodes.invalidInput;
        return;
      }
      const work = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-shot-'));
      try {
        const builtin = flags.animation.startsWith('builtin:');
        const manifest = shotManifest(flags);
        const manifestFile = path.join(work, 'shot.json');
        await fs.writeFile(manifestFile, JSON.stringify(manifest, null, 2));
        const result = await runPipelineCommand(
          manifestFile,
          {
            vrm: [path.resolve(flags.vrm)],
            ...(builtin ? {} : { animations: path.dirname(path.resolve(flags.animation)) }),
            out: work,
            cacheDir: flags.cacheDir,
            strict: flags.strict ?? false,
            json: flags.json ?? false,
            pages: 1,
            ...(flags.chromium ? { chromium: flags.chromium } : {}),
            ...(flags.glBackend ? { glBackend: flags.glBackend } : {}),
          },
          'post',
        );
        const image = result?.items[0]?.imageFile;
        if (image) {
          await writeFileAtomic(path.resolve(flags.output), await fs.readFile(image));
          if (!flags.json) process.stderr.write(`wrote ${flags.output}\n`);
        } else if (result) process.exitCode = exitCodes.failed;
      } finally {
        await fs.rm(work, { recursive: true, force: true });
      }
    });
}

/**
 * What the flags name that the manifest checks would report against the temporary manifest (or not at all):
 * an image that is not a .png (shot writes PNG bytes), an output path that cannot be written (before anything
 * renders), an --animation file that is not there.
 */
async function shotFlagsProblem(flags: ShotFlags): Promise<string | null> {
  const output = path.resolve(flags.output);
  if (path.extname(output).toLowerCase() !== '.png')
    return `--output ${flags.output}: shot writes a PNG image; give a file name ending in .png`;
  const outputProblem = await outputFileProblem(output);
  if (outputProblem) return `--output ${output} ${outputProblem}`;
  if (!flags.animation.startsWith('builtin:')) {
    const animation = path.resolve(flags.animation);
    const stat = await fs.stat(animation).catch(() => null);
    if (!stat)
      return `--animation ${animation}: file not found; give an .fbx or .vrma file, or builtin:<pose>`;
    if (!stat.isFile()) return `--animation ${animation}: is a folder; give an .fbx or .vrma file in it`;
  }
  return null;
}

/** The one-entry manifest a shot runs through the stages, from the flags. */
function shotManifest(flags: ShotFlags): Record<string, unknown> {
  const builtin = flags.animation.startsWith('builtin:');
  const vector = (text: string) =>
    /^-?[\d.]+(,-?[\d.]+){2}$/.test(text) ? text.split(',').map(Number) : text;
  const bg = flags.background;
  return {
    width: Number(flags.width),
    height: Number(flags.height),
    topFrameOffsetPixels: Number(flags.top),
    bottomFrameOffsetPixels: Number(flags.bottom),
    ...(/^[\d.]+$/.test(bg) ? { backgroundGrayscale: Number(bg) } : { background: bg }),
    dataCollection: [
      {
        animationPath: builtin ? flags.animation : path.basename(flags.animation),
        ...(flags.time !== undefined
          ? { animationTime: Number(flags.time) }
          : { animationFrame: Number(flags.frame) }),
        lookAtCamera: flags.lookAtCamera ?? false,
        ...(flags.expression ? { expression: flags.expression } : {}),
        cameraPosition: vector(flags.camera),
        cameraFrame: flags.frameType,
        ...(flags.offset ? { cameraLocalOffset: vector(flags.offset) } : {}),
        description: 'shot',
      },
    ],
  };
}
