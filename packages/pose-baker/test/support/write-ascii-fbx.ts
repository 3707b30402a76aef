/**
 * A minimal ASCII FBX 7.4 writer for test fixtures: a bone hierarchy (LimbNodes with PreRotation and
 * Lcl Translation) and animation takes with per-axis curves. Written by this project from the FBX 7 ASCII
 * layout; only what three.js's FBXLoader reads is emitted.
 */

/** One bone: its FBX node name (e.g. `mixamorig:Hips`), parent, rest translation (cm) and PreRotation (degrees, XYZ). */
export interface FbxBone {
  name: string;
  parent: string | null;
  translation: readonly [number, number, number];
  preRotationDegrees: readonly [number, number, number];
  /** Uniform `Lcl Scaling`; default 1 (not written). */
  scaling?: number;
}

/** A curve set for one bone property: one `[x, y, z]` value per key. */
export interface FbxCurve {
  bone: string;
  /** `rotation` keys are FBX euler degrees (order XYZ); `translation` keys are centimetres. */
  property: 'rotation' | 'translation';
  timesSeconds: readonly number[];
  values: ReadonlyArray<readonly [number, number, number]>;
}

export interface FbxTake {
  name: string;
  curves: readonly FbxCurve[];
}

/** FBX time unit: ticks per second. */
const FBX_TICKS_PER_SECOND = 46186158000;

function formatNumber(value: number): string {
  return Number.isInteger(value)
    ? String(value)
    : value.toPrecision(12).replace(/0+$/, '').replace(/\.$/, '');
}

function formatArray(values: readonly number[]): string {
  return values.map(formatNumber).join(',');
}

/** Writes the scene as ASCII FBX text. Takes with no curves become empty stacks (like Mixamo's "Take 001"). */
export function writeAsciiFbx(scene: {
  bones: readonly FbxBone[];
  takes: readonly FbxTake[];
  /** FBX `TimeMode` (6 = 30 fps, 11 = 24 fps, 14 = custom); `null` leaves it out. Default 6. */
  timeMode?: number | null;
  /** `CustomFrameRate`, used with time mode 14. */
  customFrameRate?: number;
}): string {
  let nextId = 1000;
  const newId = () => nextId++;
  const objects: string[] = [];
  const connections: string[] = [];
  const modelIds = new Map<string, number>();

  for (const bone of scene.bones) {
    const attributeId = newId();
    const modelId = newId();
    modelIds.set(bone.name, modelId);
    objects.push(
      `\tNodeAttribute: ${attributeId}, "NodeAttribute::", "LimbNode" {\n\t\tTypeFlags: "Skeleton"\n\t}`,
      `\tModel: ${modelId}, "Model::${bone.name}", "LimbNode" {\n\t\tVersion: 232\n\t\tProperties70:  {\n` +
        `\t\t\tP: "PreRotation", "Vector3D", "Vector", "",${formatArray(bone.preRotationDegrees)}\n` +
        '\t\t\tP: "RotationActive", "bool", "", "",1\n' +
        `\t\t\tP: "Lcl Translation", "Lcl Translation", "", "A",${formatArray(bone.translation)}\n` +
        (bone.scaling === undefined
          ? ''
          : `\t\t\tP: "Lcl Scaling", "Lcl Scaling", "", "A",${formatArray([bone.scaling, bone.scaling, bone.scaling])}\n`) +
        '\t\t}\n\t\tShading: T\n\t\tCulling: "CullingOff"\n\t}',
    );
    connections.push(`\tC: "OO",${attributeId},${modelId}`);
  }
  for (const bone of scene.bones) {
    const parentId = bone.parent === null ? 0 : modelIds.get(bone.parent);
    if (parentId === undefined) throw new Error(`writeAsciiFbx: unknown parent ${bone.parent}`);
    connections.push(`\tC: "OO",${modelIds.get(bone.name)},${parentId}`);
  }

  for (const take of scene.takes) {
    const stackId = newId();
    const layerId = newId();
    const stopSeconds = Math.max(0, ...take.curves.flatMap((curve) => curve.timesSeconds));
    objects.push(
      `\tAnimationStack: ${stackId}, "AnimStack::${take.name}", "" {\n\t\tProperties70:  {\n` +
        `\t\t\tP: "LocalStop", "KTime", "Time", "",${Math.round(stopSeconds * FBX_TICKS_PER_SECOND)}\n\t\t}\n\t}`,
      `\tAnimationLayer: ${layerId}, "AnimLayer::BaseLayer", "" {\n\t}`,
    );
    connections.push(`\tC: "OO",${layerId},${stackId}`);
    for (const curve of take.curves) {
      const modelId = modelIds.get(curve.bone);
      if (modelId === undefined) throw new Error(`writeAsciiFbx: unknown bone ${curve.bone}`);
      const nodeId = newId();
      const letter = curve.property === 'rotation' ? 'R' : 'T';
      const first = curve.values[0] ?? [0, 0, 0];
      objects.push(
        `\tAnimationCurveNode: ${nodeId}, "AnimCurveNode::${letter}", "" {\n\t\tProperties70:  {\n` +
          ['X', 'Y', 'Z']
            .map((axis, i) => `\t\t\tP: "d|${axis}", "Number", "", "A",${formatNumber(first[i]!)}\n`)
            .join('') +
          '\t\t}\n\t}',
      );
      connections.push(
        `\tC: "OO",${nodeId},${layerId}`,
        `\tC: "OP",${nodeId},${modelId},"Lcl ${curve.property === 'rotation' ? 'Rotation' : 'Translation'}"`,
      );
      const ticks = curve.timesSeconds.map((t) => Math.round(t * FBX_TICKS_PER_SECOND));
      ['X', 'Y', 'Z'].forEach((axis, i) => {
        const curveId = newId();
        const values = curve.values.map((value) => value[i]!);
        objects.push(
          `\tAnimationCurve: ${curveId}, "AnimCurve::", "" {\n\t\tDefault: ${formatNumber(values[0] ?? 0)}\n\t\tKeyVer: 4009\n` +
            `\t\tKeyTime: *${ticks.length} {\n\t\t\ta: ${ticks.join(',')}\n\t\t}\n` +
            `\t\tKeyValueFloat: *${values.length} {\n\t\t\ta: ${formatArray(values)}\n\t\t}\n\t}`,
        );
        connections.push(`\tC: "OP",${curveId},${nodeId},"d|${axis}"`);
      });
    }
  }

  return [
    '; FBX 7.4.0 project file',
    '; Written by vrm-lora test support (synthetic fixture)',
    'FBXHeaderExtension:  {',
    '\tFBXHeaderVersion: 1003',
    '\tFBXVersion: 7400',
    '}',
    'GlobalSettings:  {',
    '\tVersion: 1000',
    '\tProperties70:  {',
    '\t\tP: "UpAxis", "int", "Integer", "",1',
    '\t\tP: "UpAxisSign", "int", "Integer", "",1',
    '\t\tP: "FrontAxis", "int", "Integer", "",2',
    '\t\tP: "FrontAxisSign", "int", "Integer", "",1',
    '\t\tP: "CoordAxis", "int", "Integer", "",0',
    '\t\tP: "CoordAxisSign", "int", "Integer", "",1',
    '\t\tP: "UnitScaleFactor", "double", "Number", "",1',
    ...(scene.timeMode === null ? [] : [`\t\tP: "TimeMode", "enum", "", "",${scene.timeMode ?? 6}`]),
    ...(scene.customFrameRate === undefined
      ? []
      : [`\t\tP: "CustomFrameRate", "double", "Number", "",${formatNumber(scene.customFrameRate)}`]),
    '\t}',
    '}',
    'Objects:  {',
    ...objects,
    '}',
    'Connections:  {',
    ...connections,
    '}',
    '',
  ].join('\n');
}
