import type { VrmHumanBoneName } from '@vrm-lora/manifest';
import type { KeyframeTrack, NumberKeyframeTrack, QuaternionKeyframeTrack, VectorKeyframeTrack } from 'three';

/** What a clip was made from: the input kinds a pose file can cite. */
export type ClipKind = 'fbx' | 'vrma' | 'builtin';

/** Which skeleton naming an FBX used. */
export type SourceRig = 'mixamo' | 'vrm-humanoid' | 'vrma' | 'builtin';

/**
 * A clip's tracks, already retargeted: rotations are normalized-bone local rotations (VRM 1.0, facing +Z),
 * the hips position is in units of the source's rest hips height. Sampling only interpolates these.
 */
export interface RetargetedTracks {
  /** One rotation track per mapped humanoid bone, in `VRM_HUMAN_BONE_NAMES` order. */
  readonly rotations: ReadonlyArray<{
    readonly bone: VrmHumanBoneName;
    readonly track: QuaternionKeyframeTrack;
  }>;
  /** Hips position in source hips heights, or `null` (hips stay at rest height). */
  readonly hipsPosition: VectorKeyframeTrack | null;
  /** Expression weight tracks (VRMA), sorted by name. */
  readonly expressions: ReadonlyArray<{ readonly name: string; readonly track: NumberKeyframeTrack }>;
  /** Look-at rotation track (VRMA), as three-vrm's `VRMLookAtQuaternionProxy` receives it, or `null`. */
  readonly lookAt: QuaternionKeyframeTrack | null;
}

/** A parsed, retargeted animation: parse once with `loadClip`, sample many times with `sampleClip`. */
export interface LoadedClip {
  readonly kind: ClipKind;
  /** File name (no directories) or `builtin:<name>`. */
  readonly name: string;
  /** sha256 (hex) of the file bytes; for built-in poses, of the pose's data. */
  readonly contentSha256: string;
  /** The take (animation clip) that was selected. */
  readonly take: string;
  /** Every take in the file, empty ones included, in file order. */
  readonly takes: readonly string[];
  /**
   * Frames per second: the rate the file declares (FBX `TimeMode`), else inferred from the key spacing,
   * else 30. Frame `n` is at `n / frameRate` seconds.
   */
  readonly frameRate: number;
  /** Where `frameRate` came from. */
  readonly frameRateSource: 'file' | 'keys' | 'default';
  /** Time of the last key, seconds. */
  readonly durationSeconds: number;
  /** Number of frames: valid frame indices are `0 … frameCount - 1`. */
  readonly frameCount: number;
  /** The skeleton convention the source used. */
  readonly rig: SourceRig;
  /** Animated source nodes that have no humanoid bone (ignored), sorted. */
  readonly unmappedBones: readonly string[];
  /** Things the caller may want to show (e.g. a rest pose that is not a T-pose); the baker never prints. */
  readonly warnings: readonly string[];
  /** The retargeted tracks `sampleClip` evaluates. */
  readonly tracks: RetargetedTracks;
}

/** Frame rates files commonly use; an inferred rate within 0.5% of one of these snaps to it. */
const COMMON_FRAME_RATES = [12, 15, 24, 25, 30, 48, 50, 60, 72, 90, 100, 120];

/**
 * The clip's frame rate from its key spacing: the most common gap between consecutive keys over all tracks
 * (FBXLoader and GLTFLoader do not expose a file's time mode; Mixamo keys every frame, with a few extra
 * sub-frame keys in some clips, which the mode ignores). A rate within 0.5% of a common rate (24, 30, 60, …)
 * snaps to it. Returns `null` when no track has two keys or the keys are too sparse to be frames (a mode
 * below 12 fps, e.g. a VRMA with three keys over three seconds); callers then use 30, Mixamo's rate.
 */
export function inferFrameRate(tracks: readonly KeyframeTrack[]): number | null {
  const gapCounts = new Map<number, number>();
  for (const track of tracks) {
    const times = track.times;
    for (let i = 1; i < times.length; i++) {
      const gap = Math.round((times[i]! - times[i - 1]!) * 1e5) / 1e5;
      if (gap > 0) gapCounts.set(gap, (gapCounts.get(gap) ?? 0) + 1);
    }
  }
  let modeGap = 0;
  let modeCount = 0;
  for (const [gap, count] of [...gapCounts].sort(([a], [b]) => a - b)) {
    if (count > modeCount) {
      modeGap = gap;
      modeCount = count;
    }
  }
  if (modeCount === 0) return null;
  const raw = 1 / modeGap;
  if (raw < 12) return null;
  const common = COMMON_FRAME_RATES.find((rate) => Math.abs(rate - raw) / rate < 0.005);
  return common ?? Math.round(raw * 1000) / 1000;
}

/** The rate used when neither the file nor its keys tell (Mixamo's and CharacterStudio's 30 fps). */
export const DEFAULT_FRAME_RATE = 30;

/**
 * Number of frames in a clip of `durationSeconds` at `frameRate`: frames 0, 1, … whose time is within the
 * clip (so frame 0 and a last key that sits on a frame both count). The small slack absorbs float32 key times.
 */
export function countFrames(durationSeconds: number, frameRate: number): number {
  return Math.floor(durationSeconds * frameRate + 1e-3) + 1;
}
