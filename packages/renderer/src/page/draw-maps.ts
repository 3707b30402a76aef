// Depth and normal maps of the posed mesh, drawn with the shot's own camera (the page side of conditioning).
import * as THREE from 'three';
import { DEPTH_FAR_LEVEL } from '../conditioning-rules.js';
import type { MapKind, PageMapsOutput } from '../protocol.js';
import { shotPlanes } from './fit-camera.js';

/**
 * Nearest and farthest view depth (metres) of the world-space vertices that project into the image: the part of
 * the subject the map shows (a close-up is normalised over the head and shoulders, not the whole body).
 */
export function subjectDepthRange(
  vertices: Float32Array,
  camera: THREE.PerspectiveCamera,
): { nearMetres: number; farMetres: number } {
  const e = camera.matrixWorldInverse.elements;
  const p = camera.projectionMatrix.elements;
  let near = Number.POSITIVE_INFINITY;
  let far = 0;
  let nearAll = Number.POSITIVE_INFINITY;
  let farAll = 0;
  for (let i = 0; i < vertices.length; i += 3) {
    const x = vertices[i]!;
    const y = vertices[i + 1]!;
    const z = vertices[i + 2]!;
    const vx = e[0]! * x + e[4]! * y + e[8]! * z + e[12]!;
    const vy = e[1]! * x + e[5]! * y + e[9]! * z + e[13]!;
    const d = -(e[2]! * x + e[6]! * y + e[10]! * z + e[14]!);
    if (d <= 0) continue;
    if (d < nearAll) nearAll = d;
    if (d > farAll) farAll = d;
    // Perspective projection: x_ndc = p0·vx / d, y_ndc = p5·vy / d (no skew, centred).
    if (Math.abs((p[0]! * vx + p[8]! * -d) / d) > 1 || Math.abs((p[5]! * vy + p[9]! * -d) / d) > 1) continue;
    if (d < near) near = d;
    if (d > far) far = d;
  }
  return far > 0 ? { nearMetres: near, farMetres: far } : { nearMetres: nearAll, farMetres: farAll };
}

/** The view depth (metres) of the farthest of the world-space vertices. */
function farthestDepth(vertices: Float32Array, camera: THREE.PerspectiveCamera): number {
  const e = camera.matrixWorldInverse.elements;
  let far = 0;
  for (let i = 0; i < vertices.length; i += 3) {
    const d = -(e[2]! * vertices[i]! + e[6]! * vertices[i + 1]! + e[10]! * vertices[i + 2]! + e[14]!);
    if (d > far) far = d;
  }
  return far;
}

/**
 * Near and far planes that make three.js's depth material write the subject's normalised inverse depth: its
 * `1 − fragCoord.z` is `(1/d − 1/far) / (1/near − 1/far)`, 1 at the nearest vertex and {@link DEPTH_FAR_LEVEL}
 * at the farthest (the MiDaS convention: relative inverse depth, near bright).
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
  const range = subjectDepthRange(args.vertices, camera);
  // The normal map is drawn with the shot's own planes, not those the page's last draw left: its depth test (which
  // surface is in front where two nearly touch) must not depend on what was drawn before.
  const planes = shotPlanes(farthestDepth(args.vertices, camera));
  const saved = { near: camera.near, far: camera.far, override: scene.overrideMaterial };
  const materials: Record<MapKind, THREE.Material> = {
    depth: new THREE.MeshDepthMaterial({ side: THREE.DoubleSide }),
    normal: new THREE.MeshNormalMaterial({ side: THREE.DoubleSide }),
  };
  const maps: Record<string, Uint8Array> = {};
  try {
    for (const kind of args.kinds) {
      if (kind === 'depth') Object.assign(camera, depthPlanes(range));
      else Object.assign(camera, planes);
      camera.updateProjectionMatrix();
      scene.overrideMaterial = materials[kind];
      renderer.setRenderTarget(target);
      renderer.clear();
      args.beforeDraw();
      renderer.render(scene, camera);
      const raw = new Uint8Array(width * height * 4);
      renderer.readRenderTargetPixels(target, 0, 0, width, height, raw);
      const rows = new Uint8Array(raw.length);
      const stride = width * 4;
      for (let y = 0; y < height; y++) {
        rows.set(raw.subarray((height - 1 - y) * stride, (height - y) * stride), y * stride);
      }
      maps[kind] = rows;
    }
  } finally {
    renderer.setRenderTarget(null);
    scene.overrideMaterial = saved.override;
    camera.near = saved.near;
    camera.far = saved.far;
    camera.updateProjectionMatrix();
    target.dispose();
    for (const material of Object.values(materials)) material.dispose();
  }
  return { maps, depthRange: range };
}
