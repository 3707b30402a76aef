import fs from 'node:fs/promises';

const GLB_MAGIC = 0x46546c67; // "glTF"
const CHUNK_JSON = 0x4e4f534a; // "JSON"

/**
 * What is wrong with a VRM file's bytes that can be told without rendering (empty, not binary glTF, truncated,
 * unreadable JSON, no VRM extension), as words to follow the file's name; null when it looks like a VRM.
 * The page would fail on each of these anyway, once per entry and with a less helpful message. `bytes` may be
 * the file's start alone (its 20-byte header and JSON chunk, as {@link checkAvatarFile} reads) with
 * `fileBytes` the whole file's size.
 */
export function checkAvatarBytes(bytes: Uint8Array, fileBytes = bytes.length): string | null {
  const again = 'export or download it again';
  if (fileBytes === 0) return `is empty (0 bytes); ${again}`;
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 20 || view.readUInt32LE(0) !== GLB_MAGIC) {
    const what = view.subarray(1, 4).toString('latin1') === 'PNG' ? 'a PNG image' : 'not binary glTF';
    return `is ${what}, not a VRM file (a VRM is binary glTF and starts with "glTF"); give the avatar's .vrm file`;
  }
  const version = view.readUInt32LE(4);
  if (version !== 2) return `is glTF version ${version}; VRM files are glTF 2.0`;
  const declaredBytes = view.readUInt32LE(8);
  if (declaredBytes > fileBytes)
    return `is truncated: its header says ${declaredBytes} bytes but the file has ${fileBytes}; ${again}`;
  const jsonBytes = view.readUInt32LE(12);
  if (view.readUInt32LE(16) !== CHUNK_JSON || 20 + jsonBytes > Math.min(bytes.length, fileBytes))
    return `is not a valid binary glTF file (its first chunk is not JSON); ${again}`;
  let json: { extensions?: Record<string, unknown>; buffers?: { byteLength?: unknown }[] };
  try {
    json = JSON.parse(view.subarray(20, 20 + jsonBytes).toString('utf8'));
  } catch {
    return `is not a valid binary glTF file (its JSON chunk does not parse); ${again}`;
  }
  if (typeof json !== 'object' || json === null) return `is not a valid binary glTF file; ${again}`;
  const extensions = typeof json.extensions === 'object' && json.extensions !== null ? json.extensions : {};
  if (!('VRMC_vrm' in extensions) && !('VRM' in extensions))
    return 'is a glTF model without a VRM extension (VRMC_vrm or VRM): export it as VRM (UniVRM, VRM Add-on for Blender, VRoid)';
  const binStart = 20 + jsonBytes;
  const declaredBin = json.buffers?.[0]?.byteLength;
  if (typeof declaredBin === 'number' && binStart + 8 + declaredBin > fileBytes)
    return `is truncated: its data chunk needs ${declaredBin} bytes but the file ends before; ${again}`;
  return null;
}

/**
 * {@link checkAvatarBytes} on a file, reading only its header and JSON chunk (a VRM's textures and meshes are
 * in the binary chunk after it), so checking a 10 MB avatar reads a few kilobytes.
 */
export async function checkAvatarFile(file: string): Promise<string | null> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const header = Buffer.alloc(Math.min(20, size));
    await handle.read(header, 0, header.length, 0);
    if (header.length < 20 || header.readUInt32LE(0) !== GLB_MAGIC) return checkAvatarBytes(header, size);
    const jsonBytes = header.readUInt32LE(12);
    if (jsonBytes > MAX_JSON_CHUNK_BYTES) return null;
    const wanted = Math.min(size, 20 + jsonBytes);
    const head = Buffer.alloc(wanted);
    await handle.read(head, 0, wanted, 0);
    return checkAvatarBytes(head, size);
  } finally {
    await handle.close();
  }
}

/** A JSON chunk larger than this is not read to check (no real VRM's is near it); the page reports it. */
const MAX_JSON_CHUNK_BYTES = 64 * 1024 * 1024;
