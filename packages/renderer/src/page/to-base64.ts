/**
 * Base64 of `bytes`: the native `Uint8Array.prototype.toBase64` where the browser has it (Chromium 140+;
 * 0.4 ms for a 2 MB crop, measured) instead of building a binary string for `btoa` (53 ms), which was most of
 * the page's own CPU per shot.
 */
export function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + chunk) as unknown as number[]);
  }
  return btoa(binary);
}
