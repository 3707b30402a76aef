import { NodeIO, VertexLayout } from '@gltf-transform/core';
import {
  buildMannequinDocument,
  MANNEQUIN_EXTENSIONS,
  type MannequinSpec,
} from './build-mannequin-document.js';
import { FACE_MORPH_NAMES } from './build-mannequin-geometry.js';
import { MANNEQUIN_VERSION } from './mannequin-version.js';

export type { MannequinSpec };

/** Options of `createMannequinVrm`. */
export interface CreateMannequinVrmOptions {
  /** VRM flavour; default `'1.0'`. */
  specVersion?: MannequinSpec;
}

/** Expressions both variants define, by the names three-vrm gives them (VRM 1.0 preset names). */
export const MANNEQUIN_EXPRESSIONS: readonly string[] = [...FACE_MORPH_NAMES];

export { MANNEQUIN_VERSION };

/**
 * Generates the mannequin as VRM (GLB) bytes: a skinned humanoid 1.70 m tall in a T-pose, with face
 * morphs, look-at eye bones and a spring-bone hair strand, written by `@gltf-transform/core`.
 * Deterministic: the same options give the same bytes. Rejects on a `specVersion` other than '1.0' or '0.x'.
 */
export async function createMannequinVrm(options: CreateMannequinVrmOptions = {}): Promise<Uint8Array> {
  const spec = options.specVersion ?? '1.0';
  if (spec !== '1.0' && spec !== '0.x') {
    throw new Error(`createMannequinVrm: specVersion must be '1.0' or '0.x', got ${JSON.stringify(spec)}`);
  }
  const document = buildMannequinDocument(spec);
  // One buffer view per attribute, as the hand-written writer had: three.js then builds plain
  // BufferAttributes, not interleaved ones, so renders stay as they were.
  const io = new NodeIO()
    .setLogger(document.getLogger())
    .registerExtensions(MANNEQUIN_EXTENSIONS)
    .setVertexLayout(VertexLayout.SEPARATE);
  return io.writeBinary(document);
}
