import { crossVec3, dotVec3, normalizeVec3, subtractVec3, type Vec3 } from './vec3.js';

/** A bone and its skin weight (0..1). */
export type Influence = readonly [bone: string, weight: number];

/** The mannequin's materials; `left`/`right` are the avatar's own left and right limbs. */
export type MaterialName = 'skin' | 'torso' | 'left' | 'right' | 'eyeWhite' | 'iris' | 'mouth' | 'hair';

/** One vertex of a mesh under construction. */
export interface BuiltVertex {
  position: Vec3;
  normal: Vec3;
  influences: Influence[];
  /** Per morph target (in `MeshBuilder.morphNames` order): position delta from the rest shape. */
  morphPositionDeltas: Vec3[];
  /** Per morph target: normal delta from the rest shape. */
  morphNormalDeltas: Vec3[];
}

/** One triangle, wound counter-clockwise seen from outside. */
export interface BuiltTriangle {
  indices: [number, number, number];
  material: MaterialName;
}

/** A grid of points (rows × columns) that becomes a skinned surface. */
export interface GridSpec {
  /** Rest-shape points, `rest[row][column]`. */
  rest: Vec3[][];
  /** Morph-target shapes keyed by morph name, same layout as `rest`; missing names keep the rest shape. */
  morphs?: Readonly<Record<string, Vec3[][]>>;
  /** Whether the last column connects back to the first (tubes, spheres). */
  wrapColumns: boolean;
  /** A point behind the surface: triangles are wound so their fronts face away from it. */
  inside: Vec3;
  /** Skin weights for a rest-shape point. */
  influences: (point: Vec3, row: number, column: number) => Influence[];
  /** Material of every triangle, or a function of the triangle's rest centroid. */
  material: MaterialName | ((centroid: Vec3) => MaterialName);
}

/** Collects skinned vertices and triangles (with optional morph targets) for one glTF mesh. */
export class MeshBuilder {
  readonly vertices: BuiltVertex[] = [];
  readonly triangles: BuiltTriangle[] = [];

  /** @param morphNames morph targets every vertex of this mesh carries (zero deltas unless a grid moves it) */
  constructor(
    readonly name: string,
    readonly morphNames: readonly string[] = [],
  ) {}

  /** Adds a grid surface: vertices, triangles, smooth normals and morph deltas. */
  addGrid(spec: GridSpec): void {
    const rows = spec.rest.length;
    const columns = spec.rest[0]?.length ?? 0;
    const base = this.vertices.length;
    const at = (row: number, column: number): number => base + row * columns + column;
    const triangles: [number, number, number][] = [];
    const lastColumn = spec.wrapColumns ? columns : columns - 1;
    for (let row = 0; row < rows - 1; row++) {
      for (let column = 0; column < lastColumn; column++) {
        const next = (column + 1) % columns;
        const a = at(row, column);
        const b = at(row + 1, column);
        const c = at(row + 1, next);
        const d = at(row, next);
        triangles.push([a, b, c], [a, c, d]);
      }
    }
    const restPoints = spec.rest.flat();
    const point = (index: number): Vec3 => restPoints[index - base] as Vec3;

    // Wind every triangle of the grid the same way, facing away from `inside`.
    let facing = 0;
    for (const [a, b, c] of triangles) {
      const normal = crossVec3(subtractVec3(point(b), point(a)), subtractVec3(point(c), point(a)));
      const centroid = centroidOf(point(a), point(b), point(c));
      facing += dotVec3(normal, subtractVec3(centroid, spec.inside));
    }
    if (facing < 0) {
      for (const triangle of triangles) {
        const b = triangle[1];
        triangle[1] = triangle[2];
        triangle[2] = b;
      }
    }

    const restNormals = computeNormals(restPoints, triangles, base, spec.inside);
    const morphShapes = this.morphNames.map((name) => spec.morphs?.[name]?.flat() ?? restPoints);
    const morphNormals = morphShapes.map((shape) =>
      shape === restPoints ? restNormals : computeNormals(shape, triangles, base, spec.inside),
    );
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        const index = row * columns + column;
        const position = restPoints[index] as Vec3;
        const normal = restNormals[index] as Vec3;
        this.vertices.push({
          position,
          normal,
          influences: normalizeInfluences(spec.influences(position, row, column)),
          morphPositionDeltas: morphShapes.map((shape) => subtractVec3(shape[index] as Vec3, position)),
          morphNormalDeltas: morphNormals.map((normals) => subtractVec3(normals[index] as Vec3, normal)),
        });
      }
    }
    for (const indices of triangles) {
      const material =
        typeof spec.material === 'string'
          ? spec.material
          : spec.material(centroidOf(point(indices[0]), point(indices[1]), point(indices[2])));
      this.triangles.push({ indices, material });
    }
  }
}

function centroidOf(a: Vec3, b: Vec3, c: Vec3): Vec3 {
  return [(a[0] + b[0] + c[0]) / 3, (a[1] + b[1] + c[1]) / 3, (a[2] + b[2] + c[2]) / 3];
}

/** Area-weighted smooth normals; a vertex with no usable face (a collapsed pole) points away from `inside`. */
function computeNormals(
  points: readonly Vec3[],
  triangles: readonly [number, number, number][],
  base: number,
  inside: Vec3,
): Vec3[] {
  const sums = points.map(() => [0, 0, 0]);
  for (const [a, b, c] of triangles) {
    const pa = points[a - base] as Vec3;
    const pb = points[b - base] as Vec3;
    const pc = points[c - base] as Vec3;
    const normal = crossVec3(subtractVec3(pb, pa), subtractVec3(pc, pa));
    for (const index of [a, b, c]) {
      const sum = sums[index - base] as number[];
      sum[0] = (sum[0] as number) + normal[0];
      sum[1] = (sum[1] as number) + normal[1];
      sum[2] = (sum[2] as number) + normal[2];
    }
  }
  return sums.map((sum, index) => {
    const normal = normalizeVec3(sum as unknown as Vec3);
    if (normal[0] === 0 && normal[1] === 0 && normal[2] === 0) {
      return normalizeVec3(subtractVec3(points[index] as Vec3, inside));
    }
    return normal;
  });
}

/** Merges duplicate bones, keeps the four strongest influences and scales weights to sum to 1. */
export function normalizeInfluences(influences: readonly Influence[]): Influence[] {
  const merged = new Map<string, number>();
  for (const [bone, weight] of influences) {
    if (weight > 0) merged.set(bone, (merged.get(bone) ?? 0) + weight);
  }
  const strongest = [...merged.entries()].sort((a, b) => b[1] - a[1]).slice(0, 4);
  const total = strongest.reduce((sum, [, weight]) => sum + weight, 0);
  if (total === 0) throw new Error('mannequin: a vertex has no skin weight');
  return strongest.map(([bone, weight]) => [bone, weight / total] as const);
}
