// Draws one rectangle of a shot's full image and reads it back: the whole image's viewport and camera, with
// the scissor test over the rectangle, so the rasteriser, the clear, the read-back and everything after them
// work on the subject's pixels only, and every pixel inside is the one a full-frame draw gives (same vertex
// transforms, same sample positions: tested bit-identical). A camera view offset with a canvas the size of
// the rectangle was measured as well: its pixels differ from the full frame's (up to 4 levels inside, and
// whole edge pixels), because the projection, and so every vertex's floating-point position, changes.
import * as THREE from 'three';
import { boxSize, type PixelBox } from './subject-box.js';

const drawingBufferSize = new THREE.Vector2();

/** The pixels of `box` (rows top to bottom, premultiplied RGBA) and what drawing them cost. */
export interface RegionPixels {
  rgba: Uint8Array;
  box: PixelBox;
  /**
   * The draw calls as issued, milliseconds. `gl.finish()` does not wait for the rasteriser in Chromium (its
   * WebGL `finish` is a flush), so the rasteriser's time lands in {@link readbackMs}.
   */
  renderMs: number;
  /** The `readPixels` copy (which first waits for the rasteriser) and the row flip, milliseconds. */
  readbackMs: number;
}

/**
 * Renders `scene` through `camera` (orientation, fov and aspect = width / height already set) into a
 * `width` × `height` drawing buffer with only the pixels of `box` touched, and reads them back.
 */
export function renderRegion(
  renderer: THREE.WebGLRenderer,
  scene: THREE.Scene,
  camera: THREE.PerspectiveCamera,
  width: number,
  height: number,
  box: PixelBox,
): RegionPixels {
  const size = boxSize(box);
  // GL rows count from the bottom.
  const glY = height - 1 - box.bottom;
  // Setting a canvas's size, even to the same value, reallocates its drawing buffer.
  const current = renderer.getDrawingBufferSize(drawingBufferSize);
  if (current.x !== width || current.y !== height) renderer.setSize(width, height, false);
  renderer.setScissor(box.left, glY, size.width, size.height);
  renderer.setScissorTest(true);
  const t0 = performance.now();
  renderer.render(scene, camera);
  renderer.setScissorTest(false);
  const gl = renderer.getContext();
  gl.finish();
  const t1 = performance.now();
  const raw = new Uint8Array(size.width * size.height * 4);
  gl.readPixels(box.left, glY, size.width, size.height, gl.RGBA, gl.UNSIGNED_BYTE, raw);
  const rgba = new Uint8Array(raw.length);
  const stride = size.width * 4;
  for (let y = 0; y < size.height; y++) {
    rgba.set(raw.subarray((size.height - 1 - y) * stride, (size.height - y) * stride), y * stride);
  }
  return { rgba, box, renderMs: t1 - t0, readbackMs: performance.now() - t1 };
}
