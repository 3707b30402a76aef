import type { MaterialName, MeshBuilder } from './mesh-builder.js';
import {
  buildTubeGrid,
  type ChainStop,
  type TubeProfileKey,
  type TubeSpec,
  weighAlongChain,
} from './surface-grids.js';
import type { Vec3 } from './vec3.js';

/** Adds a closed tube to `builder`, skinned along a chain of bones (`stops`), in one material or by centroid. */
export function addTube(
  builder: MeshBuilder,
  spec: TubeSpec,
  stops: readonly ChainStop[],
  material: MaterialName | ((centroid: Vec3) => MaterialName),
): void {
  const grid = buildTubeGrid(spec);
  builder.addGrid({
    rest: grid.points,
    wrapColumns: true,
    inside: grid.inside,
    influences: (point) => weighAlongChain(grid.alongAxis(point), stops),
    material,
  });
}

/** Tube profile keys from rows of `[atMetres, radiusSide, radiusOther, offsetSide?]` (offset 0 when left out). */
export function profileKeys(
  ...rows: readonly (readonly [number, number, number, number?])[]
): TubeProfileKey[] {
  return rows.map(([atMetres, radiusSide, radiusOther, offsetSide]) => ({
    atMetres,
    radiusSide,
    radiusOther,
    offsetSide: offsetSide ?? 0,
  }));
}
