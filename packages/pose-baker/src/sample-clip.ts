import { POSE_FILE_FORMAT, POSE_FILE_VERSION, type PoseFile } from '@vrm-lora/manifest';
import { Euler, type Interpolant, type KeyframeTrack, MathUtils, Quaternion } from 'three';
import { BAKER_VERSION } from './baker-version.js';
import type { LoadedClip } from './loaded-clip.js';
import { PoseBakeError } from './pose-bake-error.js';

/** Where to sample: a frame index at the clip's own frame rate (may be fractional), or seconds. */
export type SampleAt = { frame: number } | { timeSeconds: number };

export interface SampleClipOptions {
  /**
   * Wrap a time past the end around the clip like a looping player (CharacterStudio's behaviour):
   * `t mod durationSeconds` (a whole frame `n` becomes frame `n mod (frameCount − 1)`, exactly). Default
   * `false`: a time past the end is a `frame-out-of-range` error.
   */
  wrap?: boolean;
  /** Called when `wrap` moved the sample: what was asked, how long the clip is, and what was used. */
  onWrap?: (info: SampleWrap) => void;
}

/** A sample that `wrap` moved back into the clip. */
export interface SampleWrap {
  /** The clip's name (file name). */
  clip: string;
  take: string;
  /** The frame asked for, when the entry gave a frame. */
  frameAsked?: number;
  /** The time asked for, when the entry gave a time. */
  timeAskedSeconds?: number;
  /** Frames in the clip (valid frames `0 … frameCount − 1`). */
  frameCount: number;
  frameRate: number;
  durationSeconds: number;
  /** The frame sampled instead (fractional for a time that falls between frames). */
  frameUsed: number;
  /** The time sampled instead, seconds from the clip start. */
  timeUsedSeconds: number;
}

/** Times this close past the last key still count as the last key (float error in `frame / frameRate`). */
const END_TOLERANCE_SECONDS = 1e-6;

/** Numbers in a pose file are rounded to this many decimals, so the JSON is short and stable. */
const DECIMALS = 1e6;

function round(value: number): number {
  const rounded = Math.round(value * DECIMALS) / DECIMALS;
  return rounded === 0 ? 0 : rounded; // no -0 in JSON
}

function evaluate(track: KeyframeTrack, timeSeconds: number): number[] {
  // `createInterpolant` is set per track by `setInterpolation` at run time; the typings leave it out.
  const interpolant = (track as unknown as { createInterpolant(): Interpolant }).createInterpolant();
  return Array.from(interpolant.evaluate(timeSeconds));
}

function formatSeconds(seconds: number): string {
  return `${Number(seconds.toFixed(3))} s`;
}

/** Resolves `at` to seconds from the clip start, enforcing the clip's range unless `wrap` is set. */
export function resolveSampleTime(clip: LoadedClip, at: SampleAt, options: SampleClipOptions = {}): number {
  const isFrame = 'frame' in at;
  const requested = isFrame ? at.frame : at.timeSeconds;
  const what = isFrame ? `frame ${at.frame}` : `time ${at.timeSeconds} s`;
  const lastFrame = clip.frameCount - 1;
  const length =
    `take "${clip.take}" is ${clip.frameCount} frame${clip.frameCount === 1 ? '' : 's'} long ` +
    `(frames 0–${lastFrame} at ${clip.frameRate} fps, ${formatSeconds(clip.durationSeconds)})`;
  if (!Number.isFinite(requested)) {
    throw new PoseBakeError(
      'frame-out-of-range',
      clip.name,
      `${clip.name}: ${what} is not a number; ${length}. Give a frame between 0 and ${lastFrame}.`,
    );
  }
  const timeSeconds = isFrame ? requested / clip.frameRate : requested;
  const past = timeSeconds > clip.durationSeconds + END_TOLERANCE_SECONDS;
  if (timeSeconds >= 0 && !past) return Math.min(Math.max(timeSeconds, 0), clip.durationSeconds);
  if (!options.wrap) {
    throw new PoseBakeError(
      'frame-out-of-range',
      clip.name,
      `${clip.name}: ${what} is ${timeSeconds < 0 ? 'before the start' : 'past the end'} of the clip; ${length}. ` +
        `Use a frame between 0 and ${lastFrame} (time 0–${formatSeconds(clip.durationSeconds)}), ` +
        'or enable wrapping to loop around like CharacterStudio.',
    );
  }
  const used = wrapTime(clip, at, timeSeconds);
  options.onWrap?.({
    clip: clip.name,
    take: clip.take,
    ...(isFrame ? { frameAsked: at.frame } : { timeAskedSeconds: at.timeSeconds }),
    frameCount: clip.frameCount,
    frameRate: clip.frameRate,
    durationSeconds: round(clip.durationSeconds),
    frameUsed: round(used.frame),
    timeUsedSeconds: round(used.timeSeconds),
  });
  return Math.min(Math.max(used.timeSeconds, 0), clip.durationSeconds);
}

/**
 * Where a looping player lands: `t mod durationSeconds`. A whole frame wraps in whole frames
 * (`n mod (frameCount − 1)`), so float error never lands it one frame off.
 */
function wrapTime(
  clip: LoadedClip,
  at: SampleAt,
  timeSeconds: number,
): { frame: number; timeSeconds: number } {
  const period = clip.frameCount - 1;
  if ('frame' in at && Number.isInteger(at.frame) && period > 0) {
    const frame = ((at.frame % period) + period) % period;
    return { frame, timeSeconds: frame / clip.frameRate };
  }
  if (clip.durationSeconds <= 0) return { frame: 0, timeSeconds: 0 };
  const wrapped = timeSeconds - Math.floor(timeSeconds / clip.durationSeconds) * clip.durationSeconds;
  return { frame: wrapped * clip.frameRate, timeSeconds: wrapped };
}

/**
 * Samples a loaded clip into a pose file. Keys are interpolated as three.js's AnimationMixer plays them
 * (quaternion slerp, linear positions and weights); no avatar is involved.
 *
 * Throws {@link PoseBakeError} `frame-out-of-range` for a time outside `0 … durationSeconds` unless `wrap` is set.
 */
export function sampleClip(clip: LoadedClip, at: SampleAt, options: SampleClipOptions = {}): PoseFile {
  const timeSeconds = resolveSampleTime(clip, at, options);
  const quaternion = new Quaternion();
  const bones: PoseFile['bones'] = {};
  for (const { bone, track } of clip.tracks.rotations) {
    quaternion.fromArray(evaluate(track, timeSeconds)).normalize();
    // One sign per rotation (w ≥ 0) so equal poses give equal files.
    const sign = quaternion.w < 0 ? -1 : 1;
    bones[bone] = {
      rotation: [
        round(sign * quaternion.x),
        round(sign * quaternion.y),
        round(sign * quaternion.z),
        round(sign * quaternion.w),
      ],
    };
  }
  const pose: PoseFile = {
    format: POSE_FILE_FORMAT,
    version: POSE_FILE_VERSION,
    bones,
    source: describeSource(),
  };
  if (clip.tracks.hipsPosition) {
    const [x = 0, y = 0, z = 0] = evaluate(clip.tracks.hipsPosition, timeSeconds);
    pose.hipsPosition = [round(x), round(y), round(z)];
  }
  if (clip.tracks.expressions.length > 0) {
    const expressions: Record<string, number> = {};
    for (const { name, track } of clip.tracks.expressions) {
      expressions[name] = round(MathUtils.clamp(evaluate(track, timeSeconds)[0] ?? 0, 0, 1));
    }
    pose.expressions = expressions;
  }
  if (clip.tracks.lookAt) {
    quaternion.fromArray(evaluate(clip.tracks.lookAt, timeSeconds)).normalize();
    // three-vrm's VRMLookAtQuaternionProxy: YXZ euler, yaw = y, pitch = x.
    const euler = new Euler().setFromQuaternion(quaternion, 'YXZ');
    pose.lookAt = {
      yawDegrees: round(MathUtils.radToDeg(euler.y)),
      pitchDegrees: round(MathUtils.radToDeg(euler.x)),
    };
  }
  return pose;

  function describeSource(): PoseFile['source'] {
    return {
      kind: clip.kind,
      name: clip.name,
      contentSha256: clip.contentSha256,
      take: clip.take,
      timeSeconds: round(timeSeconds),
      frameRate: clip.frameRate,
      durationSeconds: round(clip.durationSeconds),
      frameCount: clip.frameCount,
      bakerVersion: BAKER_VERSION,
    };
  }
}
