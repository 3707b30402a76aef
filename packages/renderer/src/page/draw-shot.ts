import type * as THREE from 'three';
import type { PageShotInput, PixelBounds } from '../protocol.js';
import { applyCpuMorphs } from './cpu-morphs.js';
import { measureRegionAlpha } from './measure-alpha.js';
import type { LoadedAvatar } from './page-state.js';
import { type RegionPixels, renderRegion } from './render-region.js';
import { fullFrameBox, projectSubjectBox, reachesInnerEdge } from './subject-box.js';

/** What a shot is drawn with: the page's renderer, scene and camera (orientation, fov and aspect set). */
export interface ShotStage {
  renderer: THREE.WebGLRenderer;
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
}

/** One draw of a shot: the pixels read back, their alpha bounds (full-image pixels), and whether it was redrawn. */
export interface DrawnShot {
  region: RegionPixels;
  bounds: PixelBounds | null;
  fullFrameRedraw: boolean;
}

/**
 * Draws the shot and reads back the pixels that can hold the subject: the box of its CPU-skinned vertices
 * (`subject-box.ts`), or the whole frame with `rasterRegion: 'full-frame'`, when the box cannot be projected,
 * or when the subject's pixels reach an inner edge of the box (then it is drawn again over the whole frame,
 * so the image never depends on the box). Bounds are in full-image pixels.
 */
export function drawShot(
  { renderer, scene, camera }: ShotStage,
  loaded: LoadedAvatar,
  input: PageShotInput,
  vertices: Float32Array,
): DrawnShot {
  const { width, height } = input;
  // The weights may have changed since the framing (an expression-type look-at).
  applyCpuMorphs(loaded.cpuMorphs);
  const full = fullFrameBox(width, height);
  camera.updateMatrixWorld(true);
  const box =
    input.rasterRegion === 'subject' ? (projectSubjectBox(vertices, camera, width, height) ?? full) : full;
  const region = renderRegion(renderer, scene, camera, width, height, box);
  const bounds = measureRegionAlpha(region);
  if (bounds && box !== full && reachesInnerEdge(bounds, box, width, height)) {
    const redrawn = renderRegion(renderer, scene, camera, width, height, full);
    redrawn.renderMs += region.renderMs;
    redrawn.readbackMs += region.readbackMs;
    return { region: redrawn, bounds: measureRegionAlpha(redrawn), fullFrameRedraw: true };
  }
  return { region, bounds, fullFrameRedraw: false };
}
