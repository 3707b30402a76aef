import { Extension, type Mesh, type Node, type WriterContext } from '@gltf-transform/core';

// gltf-transform writes only the extensions it has a class for. VRM's root extensions are plain JSON that
// point at nodes and meshes by index, and those indices exist only while the file is written: each class
// below holds a function that builds its JSON then, from the writer's index maps.

/** Turns the document's nodes and meshes into their indices in the file being written. */
export interface GltfIndexResolver {
  /** Index of `node` in the written `nodes` array; throws for a node the document does not hold. */
  nodeIndex(node: Node): number;
  /** Index of `mesh` in the written `meshes` array; throws for a mesh the document does not hold. */
  meshIndex(mesh: Mesh): number;
}

/** Builds one root extension's JSON, at write time. */
export type ExtensionJsonBuilder = (resolve: GltfIndexResolver) => unknown;

/**
 * A root-level glTF extension written as JSON that a function builds at write time. Write-only: reading
 * keeps nothing (the mannequin is generated, never read back into a Document by this package).
 */
export abstract class VrmJsonExtension extends Extension {
  private build: ExtensionJsonBuilder | null = null;

  /** Sets the function that builds this extension's JSON when the document is written. */
  setJsonBuilder(build: ExtensionJsonBuilder): this {
    this.build = build;
    return this;
  }

  /** Reads nothing: this extension is write-only. */
  read(): this {
    return this;
  }

  /** Writes `extensions[extensionName]` from the builder, with indices from the writer's maps. */
  write(context: WriterContext): this {
    if (!this.build) return this;
    const json = context.jsonDoc.json;
    json.extensions ??= {};
    json.extensions[this.extensionName] = this.build(createIndexResolver(context, this.extensionName));
    return this;
  }
}

/** VRM 1.0's `VRMC_vrm`: meta, humanoid, first person, look-at, expressions. */
export class VrmcVrmExtension extends VrmJsonExtension {
  static override readonly EXTENSION_NAME = 'VRMC_vrm';
  override readonly extensionName = 'VRMC_vrm';
}

/** VRM 1.0's `VRMC_springBone`: colliders and spring chains. */
export class VrmcSpringBoneExtension extends VrmJsonExtension {
  static override readonly EXTENSION_NAME = 'VRMC_springBone';
  override readonly extensionName = 'VRMC_springBone';
}

/** VRM 0.x's single `VRM` extension. */
export class Vrm0Extension extends VrmJsonExtension {
  static override readonly EXTENSION_NAME = 'VRM';
  override readonly extensionName = 'VRM';
}

/** An index resolver over the writer's maps, naming the extension when a property was not written. */
function createIndexResolver(context: WriterContext, extensionName: string): GltfIndexResolver {
  const indexIn = <T extends Node | Mesh>(map: Map<T, number>, property: T): number => {
    const index = map.get(property);
    if (index === undefined) {
      throw new Error(`${extensionName}: ${property.propertyType} "${property.getName()}" was not written`);
    }
    return index;
  };
  return {
    nodeIndex: (node) => indexIn(context.nodeIndexMap, node),
    meshIndex: (mesh) => indexIn(context.meshIndexMap, mesh),
  };
}
