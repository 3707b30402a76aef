import { type Group, Loader, LoadingManager, Texture } from 'three';
import { FBXLoader } from 'three/examples/jsm/loaders/FBXLoader.js';
import { PoseBakeError } from './pose-bake-error.js';

/** Answers FBXLoader's texture requests with an empty texture, so no image (and no DOM) is ever loaded. */
class StubTextureLoader extends Loader<Texture> {
  override load(_url: string, onLoad?: (texture: Texture) => void): Texture {
    const texture = new Texture();
    onLoad?.(texture);
    return texture;
  }
}

/** Image extensions FBX files reference; every one is answered by {@link StubTextureLoader}. */
const IMAGE_URL = /\.(png|jpe?g|tga|bmp|gif|webp|psd|dds|tiff?|exr|hdr|ktx2?)$/i;

/** A loading manager whose image requests never reach the network, the file system or `document`. */
export function createStubLoadingManager(): LoadingManager {
  const manager = new LoadingManager();
  const stub = new StubTextureLoader(manager);
  manager.addHandler(IMAGE_URL, stub);
  // Textures embedded in the FBX become blob: URLs without an extension.
  manager.addHandler(/^blob:/i, stub);
  return manager;
}

/**
 * Parses FBX bytes (binary or ASCII, FBX 7.x) with three.js's FBXLoader in plain Node.
 * Texture references are stubbed. Throws {@link PoseBakeError} `corrupt-file` when the bytes cannot be read.
 *
 * @param fileName Used in error messages only.
 */
export function parseFbxScene(bytes: Uint8Array, fileName: string): Group {
  const arrayBuffer = bytes.buffer.slice(
    bytes.byteOffset,
    bytes.byteOffset + bytes.byteLength,
  ) as ArrayBuffer;
  try {
    return new FBXLoader(createStubLoadingManager()).parse(arrayBuffer, '');
  } catch (error) {
    const reason =
      error instanceof Error ? error.message.replace(/^THREE\.FBXLoader:\s*/, '') : String(error);
    throw new PoseBakeError(
      'corrupt-file',
      fileName,
      `${fileName}: not a readable FBX file (${reason}). ` +
        'The file may be truncated or not an FBX at all; download or export it again (FBX 7.x, binary or ASCII).',
      { cause: error },
    );
  }
}
