import { sha256 } from '@vrm-lora/manifest/hash';
import { createBuiltinTracks, findBuiltinPose, listBuiltinPoses } from './builtin-poses.js';
import { retargetFbxTake, selectTake } from './fbx-clip.js';
import { countFrames, DEFAULT_FRAME_RATE, inferFrameRate, type LoadedClip } from './loaded-clip.js';
import { parseFbxScene } from './parse-fbx-scene.js';
import { PoseBakeError } from './pose-bake-error.js';
import { readFbxFrameRate } from './read-fbx-frame-rate.js';
import { collectVrmaTracks, listRetargetedTracks, parseVrma } from './vrma-clip.js';

/** What to load: file bytes with their file name (the extension picks the parser), or a built-in pose name. */
export type ClipInput = { name: string; bytes: Uint8Array } | { builtin: string };

export interface LoadClipOptions {
  /** Take (animation clip) to use. Default: `mixamo.com` if present and non-empty, else the first non-empty take. */
  take?: string;
}

/** The prefix that addresses built-in poses in a manifest's `animationPath`, e.g. `builtin:waving`. */
export const BUILTIN_PREFIX = 'builtin:';

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() ?? name;
}

/**
 * Parses and retargets an animation once; sample it any number of times with `sampleClip`.
 *
 * - `.fbx`: Mixamo rigs (`mixamorig:Hips`, `mixamorigHips`, `mixamorig1:Hips`, …) and rigs whose bones carry
 *   VRM humanoid names (`hips`, `leftUpperArm`, …), binary or ASCII.
 * - `.vrma` (or `.glb`/`.gltf` with VRMC_vrm_animation): humanoid, expression and look-at tracks.
 * - `{ builtin: 'waving' }` (or `'builtin:waving'`): a one-frame built-in pose; see `listBuiltinPoses()`.
 *
 * Throws {@link PoseBakeError} with a message naming the file and the fix.
 */
export async function loadClip(input: ClipInput, options: LoadClipOptions = {}): Promise<LoadedClip> {
  if ('builtin' in input) return loadBuiltinClip(input.builtin);
  const name = baseName(input.name);
  if (name.startsWith(BUILTIN_PREFIX)) return loadBuiltinClip(name);
  const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase();
  if (extension === 'fbx') return loadFbxClip(name, input.bytes, options);
  if (extension === 'vrma' || extension === 'glb' || extension === 'gltf') {
    return loadVrmaClip(name, input.bytes, options);
  }
  throw new PoseBakeError(
    'unsupported-format',
    name,
    `${name}: unsupported animation format ".${extension ?? ''}". Use a Mixamo .fbx, a .vrma, or a built-in pose ` +
      `(${listBuiltinPoses()
        .map((pose) => BUILTIN_PREFIX + pose)
        .join(', ')}).`,
  );
}

function loadFbxClip(name: string, bytes: Uint8Array, options: LoadClipOptions): LoadedClip {
  const scene = parseFbxScene(bytes, name);
  const clip = selectTake(scene.animations, name, options.take);
  const { rig, tracks, unmappedBones, warnings } = retargetFbxTake(scene, clip, name);
  const declared = readFbxFrameRate(bytes);
  const inferred = inferFrameRate(clip.tracks);
  const frameRate = declared ?? inferred ?? DEFAULT_FRAME_RATE;
  return {
    kind: 'fbx',
    name,
    contentSha256: sha256(bytes),
    take: clip.name,
    takes: scene.animations.map((take) => take.name),
    frameRate,
    frameRateSource: declared !== null ? 'file' : inferred !== null ? 'keys' : 'default',
    durationSeconds: clip.duration,
    frameCount: countFrames(clip.duration, frameRate),
    rig,
    unmappedBones,
    warnings,
    tracks,
  };
}

async function loadVrmaClip(name: string, bytes: Uint8Array, options: LoadClipOptions): Promise<LoadedClip> {
  const parsed = await parseVrma(bytes, name);
  const { takes } = parsed;
  const takeList = takes.map((take) => `"${take}"`).join(', ') || 'none';
  let index = 0;
  if (options.take !== undefined) {
    index = takes.indexOf(options.take);
    if (index < 0) {
      throw new PoseBakeError(
        'unknown-take',
        name,
        `${name}: has no animation "${options.take}". Animations in the file: ${takeList}. Pick one of these, or omit the take.`,
      );
    }
  }
  const animation = parsed.gltf.animations[index];
  const tracks = animation ? collectVrmaTracks(parsed, animation) : null;
  const allTracks = tracks ? listRetargetedTracks(tracks) : [];
  if (!animation || !tracks || allTracks.length === 0) {
    throw new PoseBakeError(
      'empty-clip',
      name,
      `${name}: contains no humanoid, expression or look-at animation (animations: ${takeList}). ` +
        'Export the VRMA again with its humanoid bones animated.',
    );
  }
  // glTF has no time mode: the keys tell.
  const inferred = inferFrameRate(allTracks);
  const frameRate = inferred ?? DEFAULT_FRAME_RATE;
  const durationSeconds = Math.max(animation.duration, 0);
  return {
    kind: 'vrma',
    name,
    contentSha256: sha256(bytes),
    take: takes[index] ?? `animation ${index}`,
    takes,
    frameRate,
    frameRateSource: inferred !== null ? 'keys' : 'default',
    durationSeconds,
    frameCount: countFrames(durationSeconds, frameRate),
    rig: 'vrma',
    unmappedBones: [],
    warnings: [],
    tracks,
  };
}

function loadBuiltinClip(requested: string): LoadedClip {
  const poseName = requested.startsWith(BUILTIN_PREFIX) ? requested.slice(BUILTIN_PREFIX.length) : requested;
  const pose = findBuiltinPose(poseName);
  const name = BUILTIN_PREFIX + poseName;
  if (!pose) {
    throw new PoseBakeError(
      'unknown-builtin',
      name,
      `${name}: no such built-in pose. Built-in poses: ${listBuiltinPoses()
        .map((known) => BUILTIN_PREFIX + known)
        .join(', ')}.`,
    );
  }
  return {
    kind: 'builtin',
    name,
    contentSha256: sha256(JSON.stringify(pose)),
    take: poseName,
    takes: [poseName],
    frameRate: DEFAULT_FRAME_RATE,
    frameRateSource: 'default',
    durationSeconds: 0,
    frameCount: 1,
    rig: 'builtin',
    unmappedBones: [],
    warnings: [],
    tracks: createBuiltinTracks(pose),
  };
}
