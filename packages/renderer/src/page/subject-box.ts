// The subject's box: which pixels of a shot can hold the subject, from its CPU-skinned vertices, so the page
// draws, reads and sends only those (a camera view offset over the box). Pure three.js maths, no DOM.
import * as THREE from 'three';

/** A pixel rectangle of the full image, inclusive (columns left..right, rows top..bottom, y down). */
export interface PixelBox {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Pixels added on each side of the vertices' projected box: what the mesh does not hold but the image
 * does (MToon outlines, antialiasing, an expression-type look-at moving the eyes after the framing). A
 * subject whose pixels still reach an inner edge of the box is redrawn over the whole frame
 * ({@link reachesInnerEdge}), so the margin sets the speed, never the pixels.
 */
export const SUBJECT_BOX_MARGIN_PX = 8;

/**
 * The pixel box of `vertices` (world xyz triplets) seen by `camera` (its matrices up to date, no view
 * offset) in a `width` × `height` image, grown by `marginPx` and clipped to the image; null when a vertex
 * is at or behind the camera's near plane (its projection is meaningless: draw the whole frame), or when
 * nothing lands in the image.
 */
export function projectSubjectBox(
  vertices: Float32Array,
  camera: THREE.PerspectiveCamera,
  width: number,
  height: number,
  marginPx: number = SUBJECT_BOX_MARGIN_PX,
): PixelBox | null {
  const view = camera.matrixWorldInverse.elements;
  // The projection without any view offset: the box is in full-image pixels.
  const fovY = THREE.MathUtils.degToRad(camera.fov);
  const focalY = height / 2 / Math.tan(fovY / 2);
  const focalX = focalY * (width / height / camera.aspect);
  let minX = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < vertices.length; i += 3) {
    const x = vertices[i]!;
    const y = vertices[i + 1]!;
    const z = vertices[i + 2]!;
    const cx = view[0]! * x + view[4]! * y + view[8]! * z + view[12]!;
    const cy = view[1]! * x + view[5]! * y + view[9]! * z + view[13]!;
    const depth = -(view[2]! * x + view[6]! * y + view[10]! * z + view[14]!);
    if (!(depth > camera.near)) return null;
    const px = width / 2 + (focalX * cx) / depth;
    const py = height / 2 - (focalY * cy) / depth;
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  if (!(minX <= maxX)) return null;
  const box = {
    left: Math.max(0, Math.floor(minX) - marginPx),
    top: Math.max(0, Math.floor(minY) - marginPx),
    right: Math.min(width - 1, Math.floor(maxX) + marginPx),
    bottom: Math.min(height - 1, Math.floor(maxY) + marginPx),
  };
  return box.left <= box.right && box.top <= box.bottom ? box : null;
}

/**
 * Whether the subject's pixels (`bounds`, full-image pixels) reach an edge of `box` that is not an edge of
 * the image: then the subject may go on beyond the box, and the shot must be drawn over the whole frame.
 */
export function reachesInnerEdge(bounds: PixelBox, box: PixelBox, width: number, height: number): boolean {
  return (
    (bounds.left <= box.left && box.left > 0) ||
    (bounds.top <= box.top && box.top > 0) ||
    (bounds.right >= box.right && box.right < width - 1) ||
    (bounds.bottom >= box.bottom && box.bottom < height - 1)
  );
}

/** The whole image as a box. */
export function fullFrameBox(width: number, height: number): PixelBox {
  return { left: 0, top: 0, right: width - 1, bottom: height - 1 };
}

/** Width and height of a box in pixels. */
export function boxSize(box: PixelBox): { width: number; height: number } {
  return { width: box.right - box.left + 1, height: box.bottom - box.top + 1 };
}
