// Depth and normal maps of the posed mesh, drawn with the shot's own camera (the page side of conditioning).
import * as THREE from 'three';
import { DEPTH_FAR_LEVEL } from '../conditioning-rules.js';
import type { MapKind, PageMapsOutput } from '../protocol.js';
import { shotPlanes } from './fit-camera.js';

/** Nearest and farthest view depth (metres) of all the world-space vertices in front of the camera. */
export function vertexDepthRange(
  vertices: Float32Array,
  camera: THREE.PerspectiveCamera,
): { nearMetres: number; farMetres: number } {
  const e = camera.matrixWorldInverse.elements;
  let near = Number.POSITIVE_INFINITY;
  let far = 0;
  for (let i = 0; i < vertices.length; i += 3) {
    const d = -(e[2]! * vertices[i]! + e[6]! * vertices[i + 1]! + e[10]! * vertices[i + 2]! + e[14]!);
    if (d <= 0) continue;
    if (d < near) near = d;
    if (d > far) far = d;
  }
  return { nearMetres: near, farMetres: far };
}

/**
 * View depth (metres) of a pixel of a depth map drawn with three.js's `RGBADepthPacking` between `near` and
 * `far`: its `unpackRGBAToDepth` (window depth 0–1), then the perspective projection undone.
 */
export function unpackViewDepth(rgba: Uint8Array, i: number, near: number, far: number): number {
  const down = 255 / 256;
  const z =
    (rgba[i]! / 255) * down +
    ((rgba[i + 1]! / 255) * down) / 256 +
    ((rgba[i + 2]! / 255) * down) / 65536 +
    rgba[i + 3]! / 255 / 16777216;
  return (near * far) / (far - z * (far - near));
}

/**
 * Nearest and farthest view depth (metres) of the surface the image shows: the depth of every covered pixel of
 * a full-precision draw (`RGBADepthPacking`), between planes just outside all the vertices. Hidden surfaces (the
 * back of the body seen from the front) and what lies outside the frame do not count, so the visible surface
 * spans the map's whole grey range. `null` when nothing covers a pixel.
 */
function visibleDepthRange(
  draw: (material: THREE.Material) => Uint8Array,
  camera: THREE.PerspectiveCamera,
  vertices: Float32Array,
): { nearMetres: number; farMetres: number } | null {
  const all = vertexDepthRange(vertices, camera);
  if (!(all.farMetres > 0)) return null;
  const near = all.nearMetres * (1 - 1e-3);
  const far = all.farMetres * (1 + 1e-3);
  Object.assign(camera, { near, far });
  camera.updateProjectionMatrix();
  const material = new THREE.MeshDepthMaterial({
    side: THREE.DoubleSide,
    depthPacking: THREE.RGBADepthPacking,
  });
  const packed = draw(material);
  material.dispose();
  let nearMetres = Number.POSITIVE_INFINITY;
  let farMetres = 0;
  for (let i = 0; i < packed.length; i += 4) {
    // Cleared pixels are all zero; a fragment's packed depth never is (it lies past the near plane's margin).
    if ((packed[i]! | packed[i + 1]! | packed[i + 2]! | packed[i + 3]!) === 0) continue;
    const d = unpackViewDepth(packed, i, near, far);
    if (d < nearMetres) nearMetres = d;
    if (d > farMetres) farMetres = d;
  }
  return farMetres > 0 ? { nearMetres, farMetres } : null;
}

/**
 * Near and far planes that make three.js's depth material write the subject's normalised inverse depth: its
 * `1 − fragCoord.z` is `(1/d − 1/far) / (1/near − 1/far)`, 1 at the nearest visible point and
 * {@link DEPTH_FAR_LEVEL} at the farthest (the MiDaS convention: relative inverse depth, near bright).
 */
export function depthPlanes(range: { nearMetres: number; farMetres: number }): { near: number; far: number } {
  const near = range.nearMetres * (1 - 1e-4);
  const inverseFar = Math.max(1e-6, (1 / range.farMetres - DEPTH_FAR_LEVEL / near) / (1 - DEPTH_FAR_LEVEL));
  return { near, far: 1 / inverseFar };
}

/**
 * Draws each map into a render target without multisampling (a pixel is the mesh or the background, never a
 * blend of both) and reads it back as RGBA rows top to bottom.
 */
export function drawMaps(args: {
  renderer: THREE.WebGLRenderer;
  scene: THREE.Scene;
  camera: THREE.PerspectiveCamera;
  vertices: Float32Array;
  kinds: readonly MapKind[];
  width: number;
  height: number;
  /** Called before each draw (CPU morphs). */
  beforeDraw: () => void;
}): { maps: Record<string, Uint8Array>; depthRange: PageMapsOutput['depthRange'] } {
  const { renderer, scene, camera, width, height } = args;
  const target = new THREE.WebGLRenderTarget(width, height, { samples: 0 });
  // The normal map is drawn with the shot's own planes, not those the page's last draw left: its depth test (which
  // surface is in front where two nearly touch) must not depend on what was drawn before.
  const all = vertexDepthRange(args.vertices, camera);
  const planes = shotPlanes(all.farMetres);
  const saved = { near: camera.near, far: camera.far, override: scene.overrideMaterial };
  const draw = (material: THREE.Material): Uint8Array => {
    scene.overrideMaterial = material;
    renderer.setRenderTarget(target);
    renderer.clear();
    args.beforeDraw();
    renderer.render(scene, camera);
    const raw = new Uint8Array(width * height * 4);
    renderer.readRenderTargetPixels(target, 0, 0, width, height, raw);
    const rows = new Uint8Array(raw.length);
    const stride = width * 4;
    for (let y = 0; y < height; y++)
      rows.set(raw.subarray((height - 1 - y) * stride, (height - y) * stride), y * stride);
    return rows;
  };
  const maps: Record<string, Uint8Array> = {};
  let depthRange = all;
  try {
    for (const kind of args.kinds) {
      let material: THREE.Material;
      if (kind === 'depth') {
        depthRange = visibleDepthRange(draw, camera, args.vertices) ?? all;
        Object.assign(camera, depthPlanes(depthRange));
        material = new THREE.MeshDepthMaterial({ side: THREE.DoubleSide });
      } else {
        Object.assign(camera, planes);
        material = new THREE.MeshNormalMaterial({ side: THREE.DoubleSide });
      }
      camera.updateProjectionMatrix();
      try {
        maps[kind] = draw(material);
      } finally {
        material.dispose();
      }
    }
  } finally {
    renderer.setRenderTarget(null);
    scene.overrideMaterial = saved.override;
    camera.near = saved.near;
    camera.far = saved.far;
    camera.updateProjectionMatrix();
    target.dispose();
  }
  return { maps, depthRange };
}
