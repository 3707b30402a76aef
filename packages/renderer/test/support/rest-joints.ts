// Joint positions computed here, independently of the page: glTF rest nodes of a VRM, and a pinhole projection
// with a RenderMeta's camera.
import type { RenderMeta } from '@vrm-lora/manifest';

export type V3 = [number, number, number];
type M4 = number[];

function compose(t: number[], r: number[], s: number[]): M4 {
  const [x, y, z, w] = r as [number, number, number, number];
  const [sx, sy, sz] = s as [number, number, number];
  return [
    (1 - 2 * (y * y + z * z)) * sx,
    2 * (x * y + z * w) * sx,
    2 * (x * z - y * w) * sx,
    0,
    2 * (x * y - z * w) * sy,
    (1 - 2 * (x * x + z * z)) * sy,
    2 * (y * z + x * w) * sy,
    0,
    2 * (x * z + y * w) * sz,
    2 * (y * z - x * w) * sz,
    (1 - 2 * (x * x + y * y)) * sz,
    0,
    t[0]!,
    t[1]!,
    t[2]!,
    1,
  ];
}

function multiply(a: M4, b: M4): M4 {
  const out = new Array(16).fill(0);
  for (let c = 0; c < 4; c++)
    for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) out[c * 4 + r] += a[k * 4 + r]! * b[c * 4 + k]!;
  return out;
}

/** World rest positions of a VRM 1.0 file's humanoid bones, read from its glTF nodes (y up, facing +Z). */
export function restJointsOf(glb: Uint8Array): Record<string, V3> {
  const view = new DataView(glb.buffer, glb.byteOffset, glb.byteLength);
  const length = view.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(glb.subarray(20, 20 + length)));
  const nodes = json.nodes as {
    children?: number[];
    matrix?: number[];
    translation?: number[];
    rotation?: number[];
    scale?: number[];
  }[];
  const world = new Map<number, M4>();
  const visit = (index: number, parent: M4) => {
    const n = nodes[index]!;
    const local =
      n.matrix ?? compose(n.translation ?? [0, 0, 0], n.rotation ?? [0, 0, 0, 1], n.scale ?? [1, 1, 1]);
    const m = multiply(parent, local);
    world.set(index, m);
    for (const c of n.children ?? []) visit(c, m);
  };
  const identity = compose([0, 0, 0], [0, 0, 0, 1], [1, 1, 1]);
  for (const root of json.scenes[json.scene ?? 0].nodes as number[]) visit(root, identity);
  const bones = json.extensions.VRMC_vrm.humanoid.humanBones as Record<string, { node: number }>;
  const out: Record<string, V3> = {};
  for (const [name, { node }] of Object.entries(bones)) {
    const m = world.get(node)!;
    out[name] = [m[12]!, m[13]!, m[14]!];
  }
  return out;
}

/** Rotates `p` about `pivot` by `degrees` around a unit `axis` (Rodrigues). */
export function rotateAbout(p: V3, pivot: V3, axis: V3, degrees: number): V3 {
  const a = (degrees * Math.PI) / 180;
  const v: V3 = [p[0] - pivot[0], p[1] - pivot[1], p[2] - pivot[2]];
  const c = Math.cos(a);
  const s = Math.sin(a);
  const dot = axis[0] * v[0] + axis[1] * v[1] + axis[2] * v[2];
  const cross: V3 = [
    axis[1] * v[2] - axis[2] * v[1],
    axis[2] * v[0] - axis[0] * v[2],
    axis[0] * v[1] - axis[1] * v[0],
  ];
  return [0, 1, 2].map((i) => pivot[i]! + v[i]! * c + cross[i]! * s + axis[i]! * dot * (1 - c)) as V3;
}

/** Pinhole projection to image pixels (y down) from the meta's camera: position, target, up, fov. */
export function projectWith(meta: RenderMeta): (p: V3) => [number, number] {
  const cam = meta.exactCamera!;
  const [qx, qy, qz, qw] = cam.quaternion;
  // Camera axes from the quaternion: x right, y up, z backward.
  const axis = (v: V3): V3 => {
    const ix = qw * v[0] + qy * v[2] - qz * v[1];
    const iy = qw * v[1] + qz * v[0] - qx * v[2];
    const iz = qw * v[2] + qx * v[1] - qy * v[0];
    const iw = -qx * v[0] - qy * v[1] - qz * v[2];
    return [
      ix * qw + iw * -qx + iy * -qz - iz * -qy,
      iy * qw + iw * -qy + iz * -qx - ix * -qz,
      iz * qw + iw * -qz + ix * -qy - iy * -qx,
    ];
  };
  const right = axis([1, 0, 0]);
  const up = axis([0, 1, 0]);
  const back = axis([0, 0, 1]);
  const f = meta.height / 2 / Math.tan((cam.fovDegrees * Math.PI) / 360);
  const o = cam.position;
  return (p) => {
    const d: V3 = [p[0] - o[0], p[1] - o[1], p[2] - o[2]];
    const x = d[0] * right[0] + d[1] * right[1] + d[2] * right[2];
    const y = d[0] * up[0] + d[1] * up[1] + d[2] * up[2];
    const z = -(d[0] * back[0] + d[1] * back[1] + d[2] * back[2]);
    return [meta.width / 2 + (f * x) / z, meta.height / 2 - (f * y) / z];
  };
}
