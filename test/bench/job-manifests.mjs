// Manifests of the bench's jobs, built from the shared example's entries whose clips are shared (13 of 46):
// each entry under several cameras (its own direction turned about the vertical axis), so every shot is a
// distinct render and the clips are parsed once per run however many shots use them.
import fs from 'node:fs';
import path from 'node:path';

const NAMED = {
  left: [-1, 0, 0],
  right: [1, 0, 0],
  top: [0, 1, 0],
  up: [0, 1, 0],
  bottom: [0, -1, 0],
  down: [0, -1, 0],
  front: [0, 0, 1],
  forward: [0, 0, 1],
  back: [0, 0, -1],
  backward: [0, 0, -1],
};

/** A manifest `cameraPosition` (a vector or a name such as "left-front") as a vector (y not halved). */
export function cameraVector(position) {
  if (Array.isArray(position)) return position;
  return String(position ?? 'front')
    .split('-')
    .reduce(
      (sum, part) => {
        const v = NAMED[part];
        if (!v) throw new Error(`unknown camera name part "${part}" in "${position}"`);
        return [sum[0] + v[0], sum[1] + v[1], sum[2] + v[2]];
      },
      [0, 0, 0],
    );
}

/** `vector` turned by `degrees` about +Y, rounded to 1e-4. */
export function turnAboutY(vector, degrees) {
  const a = (degrees * Math.PI) / 180;
  const [x, y, z] = vector;
  const r = (n) => Math.round(n * 1e4) / 1e4;
  return [r(x * Math.cos(a) + z * Math.sin(a)), r(y), r(-x * Math.sin(a) + z * Math.cos(a))];
}

/**
 * Writes `shots` entries into `<dir>/<name>.json`: shot i is entry i mod n of `manifest` seen from its own
 * direction turned by k = ⌊i / n⌋ × `stepDegrees` about the vertical axis and raised by k × `liftPerTurn`
 * (so a turn by 180° of a front view is not the back view of the same pose). Returns the file and the count.
 */
export function writeJobManifest(manifestFile, dir, name, shots, stepDegrees, liftPerTurn = 0) {
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const entries = manifest.dataCollection;
  manifest.dataCollection = Array.from({ length: shots }, (_, i) => {
    const entry = entries[i % entries.length];
    const k = Math.floor(i / entries.length);
    const turn = k * stepDegrees;
    if (k === 0) return entry;
    const [x, y, z] = turnAboutY(cameraVector(entry.cameraPosition), turn);
    return {
      ...entry,
      cameraPosition: [x, Math.round((y + k * liftPerTurn) * 1e4) / 1e4, z],
      description: `${entry.description}, camera turned ${Math.round(turn * 10) / 10}°`,
    };
  });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return { manifestFile: file, entries: shots };
}
