import type { MaterialName } from './mesh-builder.js';

/** One material of the mannequin: base colour in sRGB (0..1 per channel) and PBR roughness. */
export interface MannequinMaterial {
  name: MaterialName;
  srgb: readonly [number, number, number];
  roughness: number;
}

/** The mannequin's materials in glTF order (all opaque, metallic 0, no textures). */
export const MANNEQUIN_MATERIALS: readonly MannequinMaterial[] = [
  { name: 'skin', srgb: [0.93, 0.78, 0.66], roughness: 0.7 },
  { name: 'torso', srgb: [0.62, 0.64, 0.68], roughness: 0.8 },
  { name: 'left', srgb: [0.16, 0.42, 0.9], roughness: 0.6 },
  { name: 'right', srgb: [0.9, 0.24, 0.18], roughness: 0.6 },
  { name: 'eyeWhite', srgb: [0.97, 0.97, 0.95], roughness: 0.3 },
  { name: 'iris', srgb: [0.1, 0.08, 0.12], roughness: 0.3 },
  { name: 'mouth', srgb: [0.5, 0.12, 0.14], roughness: 0.6 },
  { name: 'hair', srgb: [0.24, 0.14, 0.08], roughness: 0.8 },
];

/**
 * Base colours as sRGB hex strings, for tests that look for body parts by colour: `left` is the avatar's
 * own left arm, hand, leg and foot (blue), `right` its right ones (red), `torso` grey, `skin` head and neck.
 */
export const MANNEQUIN_COLOURS: Readonly<Record<MaterialName, string>> = Object.fromEntries(
  MANNEQUIN_MATERIALS.map((material) => [
    material.name,
    `#${material.srgb
      .map((c) =>
        Math.round(c * 255)
          .toString(16)
          .padStart(2, '0'),
      )
      .join('')}`,
  ]),
) as Record<MaterialName, string>;
