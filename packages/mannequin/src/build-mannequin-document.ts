import { Document, type ILogger, type Material, type Mesh, type Node, type vec4 } from '@gltf-transform/core';
import { addMannequinMesh } from './add-mannequin-mesh.js';
import { addMannequinSkeleton } from './add-mannequin-skeleton.js';
import { buildMannequinGeometry } from './build-mannequin-geometry.js';
import { buildVrm0Extension } from './build-vrm0-extension.js';
import { buildVrmcSpringBone } from './build-vrmc-spring-bone.js';
import { buildVrmcVrm } from './build-vrmc-vrm.js';
import { MANNEQUIN_MATERIALS } from './mannequin-colours.js';
import { MANNEQUIN_VERSION } from './mannequin-version.js';
import { type MannequinGltfRefs, roundFloat32 } from './mannequin-vrm-settings.js';
import type { MaterialName } from './mesh-builder.js';
import type { Vec3 } from './vec3.js';
import {
  type GltfIndexResolver,
  Vrm0Extension,
  VrmcSpringBoneExtension,
  VrmcVrmExtension,
} from './vrm-json-extension.js';

/** Which VRM flavour to write: VRM 1.0 (`VRMC_vrm`, facing +Z) or VRM 0.x (`VRM`, facing −Z). */
export type MannequinSpec = '1.0' | '0.x';

/** The extension classes a writer must register to write a mannequin document (VRM 1.0 and 0.x). */
export const MANNEQUIN_EXTENSIONS = [VrmcVrmExtension, VrmcSpringBoneExtension, Vrm0Extension];

/**
 * Builds the mannequin as a gltf-transform Document: node 0 the root, then every bone, then one node per
 * mesh (body, face, eyes, hair, each skinned to the one skin), the materials in `MANNEQUIN_MATERIALS`
 * order, and the flavour's VRM extensions. Warnings from gltf-transform are errors (a library never prints).
 */
export function buildMannequinDocument(spec: MannequinSpec): Document {
  // VRM 0.x models face −Z: the same body turned 180° about Y.
  const orient = (v: Vec3): [number, number, number] =>
    spec === '0.x' ? [-v[0], v[1], -v[2]] : [v[0], v[1], v[2]];
  const document = new Document().setLogger(THROWING_LOGGER);
  document.getRoot().getAsset().generator = `@vrm-lora/mannequin ${MANNEQUIN_VERSION}`;
  const buffer = document.createBuffer();
  const geometry = buildMannequinGeometry();
  const builders = [geometry.body, geometry.face, geometry.eyes, geometry.hair];

  const skeleton = addMannequinSkeleton(document, buffer, orient);
  const materials = new Map<MaterialName, Material>(
    MANNEQUIN_MATERIALS.map((material) => [
      material.name,
      document
        .createMaterial(material.name)
        .setBaseColorFactor([...material.srgb.map((c) => roundFloat32(srgbToLinear(c))), 1] as vec4)
        .setMetallicFactor(0)
        .setRoughnessFactor(material.roughness),
    ]),
  );
  const meshes = builders.map((builder) =>
    addMannequinMesh(document, buffer, builder, materials, skeleton.jointNames, orient),
  );
  const meshNodes = builders.map((builder, i) =>
    document
      .createNode(builder.name)
      .setMesh(meshes[i] as Mesh)
      .setSkin(skeleton.skin),
  );
  const scene = document.createScene('Scene').addChild(skeleton.root);
  for (const node of meshNodes) scene.addChild(node);
  document.getRoot().setDefaultScene(scene);

  const face = builders.indexOf(geometry.face);
  const refsAt = (resolve: GltfIndexResolver): MannequinGltfRefs => ({
    nodeOf: (bone) => resolve.nodeIndex(skeleton.boneNodes.get(bone) ?? unknownBone(bone)),
    meshNodeIndex: meshNodes.map((node) => resolve.nodeIndex(node)),
    meshIndex: meshes.map((mesh) => resolve.meshIndex(mesh)),
    faceMeshIndex: resolve.meshIndex(meshes[face] as Mesh),
    faceNode: resolve.nodeIndex(meshNodes[face] as Node),
    orient,
  });
  if (spec === '1.0') {
    document.createExtension(VrmcVrmExtension).setJsonBuilder((resolve) => buildVrmcVrm(refsAt(resolve)));
    document
      .createExtension(VrmcSpringBoneExtension)
      .setJsonBuilder((resolve) => buildVrmcSpringBone(refsAt(resolve)));
  } else {
    document.createExtension(Vrm0Extension).setJsonBuilder((resolve) => buildVrm0Extension(refsAt(resolve)));
  }
  return document;
}

/** Converts an sRGB channel (0..1) to linear, as glTF base colours are linear. */
function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function unknownBone(bone: string): never {
  throw new Error(`mannequin: unknown bone "${bone}"`);
}

/** gltf-transform's logger for the mannequin: quiet on debug and info, and a warning or error throws. */
const THROWING_LOGGER: ILogger = {
  debug: () => {},
  info: () => {},
  warn: (text) => {
    throw new Error(`mannequin: gltf-transform warned: ${text}`);
  },
  error: (text) => {
    throw new Error(`mannequin: gltf-transform error: ${text}`);
  },
};
