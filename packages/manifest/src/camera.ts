import { describeJsonType, describeValue, suggestClosest } from './findings.js';
import { CAMERA_FRAMES, type CameraFrame, type Vec3 } from './framing.js';
import { cameraDirectionProblem } from './shot-rules.js';

/** Every accepted spelling (compared case-insensitively) and the frame it means; CharacterStudio accepts the same. */
export const CAMERA_FRAME_SPELLINGS: Readonly<Record<string, CameraFrame>> = {
  fullShot: 'fullShot',
  cowboyShot: 'cowboyShot',
  mediumShot: 'mediumShot',
  mediumCloseUp: 'mediumCloseUp',
  mediumCloseUpShot: 'mediumCloseUp',
  closeUp: 'closeUp',
  closeUpShot: 'closeUp',
};

const frameByLower = new Map(
  Object.entries(CAMERA_FRAME_SPELLINGS).map(([spelling, frame]) => [spelling.toLowerCase(), frame]),
);

/**
 * Reads a `cameraFrame` value: any case of `fullShot`, `cowboyShot`, `mediumShot`, `mediumCloseUp`
 * (`mediumCloseUpShot`), `closeUp` (`closeUpShot`). Returns the canonical frame or an error text.
 */
export function parseCameraFrame(value: unknown): CameraFrame | string {
  const allowed = `allowed (any case): ${CAMERA_FRAMES.join(', ')}`;
  if (typeof value !== 'string') return `must be a string, ${allowed}`;
  const frame = frameByLower.get(value.toLowerCase());
  if (frame) return frame;
  // Compare without separators too, so `full-shot` and `Medium Close Up` get a suggestion.
  const squashed = value.replace(/[\s_-]+/g, '');
  const suggestion =
    frameByLower.get(squashed.toLowerCase()) ??
    suggestClosest(squashed, Object.keys(CAMERA_FRAME_SPELLINGS).concat([]));
  const canonical = suggestion ? (frameByLower.get(suggestion.toLowerCase()) ?? suggestion) : null;
  return (
    `unknown camera frame ${JSON.stringify(value)}; ${allowed}` +
    (canonical ? `; did you mean ${JSON.stringify(canonical)}?` : '')
  );
}

/** One camera-direction word and the axis it sets. */
interface DirectionWord {
  axis: 0 | 1 | 2;
  sign: 1 | -1;
  /** Canonical word used in labels. */
  canonical: string;
}

/**
 * The words of a named camera position (case-insensitive, joined by `-` in any order) and their axes:
 * left −x, right +x, top/up +y, bottom/down −y, front/forward +z, back/backward −z.
 */
export const CAMERA_DIRECTION_WORDS: Readonly<Record<string, DirectionWord>> = {
  left: { axis: 0, sign: -1, canonical: 'left' },
  right: { axis: 0, sign: 1, canonical: 'right' },
  top: { axis: 1, sign: 1, canonical: 'top' },
  up: { axis: 1, sign: 1, canonical: 'top' },
  bottom: { axis: 1, sign: -1, canonical: 'bottom' },
  down: { axis: 1, sign: -1, canonical: 'bottom' },
  front: { axis: 2, sign: 1, canonical: 'front' },
  forward: { axis: 2, sign: 1, canonical: 'front' },
  back: { axis: 2, sign: -1, canonical: 'back' },
  backward: { axis: 2, sign: -1, canonical: 'back' },
};

/** What a `cameraPosition` of `[0, 0, 0]` is told (the rule: `cameraDirectionProblem`). */
export const NO_DIRECTION_MESSAGE =
  '[0, 0, 0] has no direction; give the direction from the avatar to the camera, e.g. [0, 0, 1] or "front"';

const namesHelp = 'names joined by "-" (left, right, top/up, bottom/down, front/forward, back/backward)';

/** A parsed camera position: the direction and its canonical label. */
export interface CameraDirection {
  /** Direction from the subject to the camera, as written or summed from names (before any y-halving). */
  position: Vec3;
  /** `front`, `front-left-top` (order front/back, left/right, top/bottom), or `custom` for vectors. */
  label: string;
}

/**
 * Reads a `cameraPosition` value (a 3-vector, or names such as `front-left-top` in any order and case)
 * into the direction subject → camera plus its label. Returns an error text for anything else.
 */
export function parseCameraDirection(value: unknown): CameraDirection | string {
  if (Array.isArray(value)) {
    if (value.length !== 3 || !value.every((n) => typeof n === 'number' && Number.isFinite(n)))
      return `must be 3 numbers [x, y, z] or ${namesHelp}, got ${describeValue(value)}`;
    const v = value as Vec3;
    if (cameraDirectionProblem(v) === 'zero') return NO_DIRECTION_MESSAGE;
    return { position: [v[0], v[1], v[2]], label: 'custom' };
  }
  if (typeof value !== 'string')
    return `must be 3 numbers [x, y, z] or ${namesHelp}, got ${describeJsonType(value)}`;
  const parts = value.split('-').map((p) => p.trim().toLowerCase());
  const position: Vec3 = [0, 0, 0];
  const seen: (DirectionWord & { word: string })[] = [];
  const unknown: string[] = [];
  const corrected: string[] = [];
  for (const part of parts) {
    const word = CAMERA_DIRECTION_WORDS[part];
    if (!word) {
      unknown.push(part);
      const suggestion = part === '' ? null : suggestClosest(part, Object.keys(CAMERA_DIRECTION_WORDS));
      corrected.push(suggestion ?? '?');
      continue;
    }
    corrected.push(part);
    const clash = seen.find((s) => s.axis === word.axis && s.sign !== word.sign);
    if (clash)
      return `${JSON.stringify(clash.word)} and ${JSON.stringify(part)} point opposite ways in ${JSON.stringify(value)}; keep one of them`;
    seen.push({ ...word, word: part });
    position[word.axis] = word.sign;
  }
  if (unknown.includes(''))
    return `${JSON.stringify(value)} has an empty name (a "-" too many?); use ${namesHelp} or 3 numbers [x, y, z]`;
  if (unknown.length > 0) {
    const names = unknown.map((u) => JSON.stringify(u)).join(', ');
    const suggestion = corrected.includes('?')
      ? ''
      : `; did you mean ${JSON.stringify(corrected.join('-'))}?`;
    return `unknown camera direction ${names} in ${JSON.stringify(value)}; use ${namesHelp} or 3 numbers [x, y, z]${suggestion}`;
  }
  return { position, label: labelCameraDirection(position) };
}

/** Like {@link parseCameraDirection}, returning only the vector (or the error text). */
export function parseCameraPosition(value: unknown): Vec3 | string {
  const parsed = parseCameraDirection(value);
  return typeof parsed === 'string' ? parsed : parsed.position;
}

/**
 * The canonical label of a named direction vector (components in −1, 0, 1): `front`, `front-left-top`,
 * `back-right`, … in the order front/back, left/right, top/bottom. Any other vector is `custom`.
 */
export function labelCameraDirection(position: Vec3): string {
  const [x, y, z] = position;
  const unit = (n: number) => n === -1 || n === 0 || n === 1;
  if (!unit(x) || !unit(y) || !unit(z) || (x === 0 && y === 0 && z === 0)) return 'custom';
  const words: string[] = [];
  if (z !== 0) words.push(z > 0 ? 'front' : 'back');
  if (x !== 0) words.push(x > 0 ? 'right' : 'left');
  if (y !== 0) words.push(y > 0 ? 'top' : 'bottom');
  return words.join('-');
}

/** A regular-expression source that matches `word` in any letter case, without relying on flags (JSON Schema). */
export function caseInsensitivePattern(word: string): string {
  return [...word]
    .map((c) => {
      const lower = c.toLowerCase();
      const upper = c.toUpperCase();
      return lower === upper ? c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : `[${lower}${upper}]`;
    })
    .join('');
}

/** Alias of {@link parseCameraDirection} (the name used in docs/architecture.md). */
export const resolveCameraDirection = parseCameraDirection;
