const GLB_MAGIC = 0x46546c67; // 'glTF'
const CHUNK_JSON = 0x4e4f534a; // 'JSON'
const CHUNK_BIN = 0x004e4942; // 'BIN\0'

/** Packs a glTF JSON document and its binary buffer into GLB bytes (both chunks padded to 4 bytes). */
export function encodeGlb(json: unknown, binary: Uint8Array): Uint8Array {
  const jsonBytes = new TextEncoder().encode(JSON.stringify(json));
  const jsonLength = align4(jsonBytes.length);
  const binLength = align4(binary.length);
  const total = 12 + 8 + jsonLength + 8 + binLength;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, GLB_MAGIC, true);
  view.setUint32(4, 2, true);
  view.setUint32(8, total, true);
  view.setUint32(12, jsonLength, true);
  view.setUint32(16, CHUNK_JSON, true);
  out.set(jsonBytes, 20);
  out.fill(0x20, 20 + jsonBytes.length, 20 + jsonLength); // JSON pads with spaces
  const binStart = 20 + jsonLength;
  view.setUint32(binStart, binLength, true);
  view.setUint32(binStart + 4, CHUNK_BIN, true);
  out.set(binary, binStart + 8); // the rest is already zero
  return out;
}

/** Rounds a byte count up to a multiple of 4. */
export function align4(byteLength: number): number {
  return Math.ceil(byteLength / 4) * 4;
}

/** Accumulates glTF buffer views and accessors in one binary buffer. */
export class GltfBufferWriter {
  readonly bufferViews: Record<string, unknown>[] = [];
  readonly accessors: Record<string, unknown>[] = [];
  private readonly parts: Uint8Array[] = [];
  private byteLength = 0;

  /** Appends bytes as a new buffer view (4-byte aligned) and returns its index. */
  addBufferView(bytes: Uint8Array, target?: 34962 | 34963): number {
    const padded = align4(bytes.length);
    const copy = new Uint8Array(padded);
    copy.set(bytes);
    const view: Record<string, unknown> = {
      buffer: 0,
      byteOffset: this.byteLength,
      byteLength: bytes.length,
    };
    if (target !== undefined) view.target = target;
    this.bufferViews.push(view);
    this.parts.push(copy);
    this.byteLength += padded;
    return this.bufferViews.length - 1;
  }

  /** Adds a float VEC3 accessor (with min/max, as glTF requires for positions). */
  addVec3(values: Float32Array, withBounds: boolean): number {
    const count = values.length / 3;
    const accessor: Record<string, unknown> = {
      bufferView: this.addBufferView(
        new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
        34962,
      ),
      componentType: 5126,
      count,
      type: 'VEC3',
    };
    if (withBounds) {
      const min = [Infinity, Infinity, Infinity];
      const max = [-Infinity, -Infinity, -Infinity];
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < 3; k++) {
          const v = values[i * 3 + k] as number;
          if (v < (min[k] as number)) min[k] = v;
          if (v > (max[k] as number)) max[k] = v;
        }
      }
      accessor.min = min;
      accessor.max = max;
    }
    this.accessors.push(accessor);
    return this.accessors.length - 1;
  }

  /** Adds a VEC4 accessor of floats (weights) or unsigned bytes (joint indices). */
  addVec4(values: Float32Array | Uint8Array): number {
    const isFloat = values instanceof Float32Array;
    this.accessors.push({
      bufferView: this.addBufferView(
        new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
        34962,
      ),
      componentType: isFloat ? 5126 : 5121,
      count: values.length / 4,
      type: 'VEC4',
    });
    return this.accessors.length - 1;
  }

  /** Adds a triangle index accessor (16-bit when every index fits). */
  addIndices(indices: readonly number[]): number {
    const max = indices.reduce((m, v) => Math.max(m, v), 0);
    const typed = max < 65536 ? Uint16Array.from(indices) : Uint32Array.from(indices);
    this.accessors.push({
      bufferView: this.addBufferView(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength), 34963),
      componentType: typed instanceof Uint16Array ? 5123 : 5125,
      count: indices.length,
      type: 'SCALAR',
    });
    return this.accessors.length - 1;
  }

  /** Adds column-major 4×4 float matrices (inverse bind matrices). */
  addMat4(values: Float32Array): number {
    this.accessors.push({
      bufferView: this.addBufferView(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)),
      componentType: 5126,
      count: values.length / 16,
      type: 'MAT4',
    });
    return this.accessors.length - 1;
  }

  /** Returns the whole binary buffer. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.byteLength);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}
