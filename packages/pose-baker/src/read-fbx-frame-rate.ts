/**
 * The frame rate an FBX file declares in `GlobalSettings` (`TimeMode`, or `CustomFrameRate` for custom mode),
 * read straight from the bytes because three.js's FBXLoader does not expose it. Binary and ASCII FBX.
 * Returns `null` when the file does not say (or cannot be read); never throws.
 */
export function readFbxFrameRate(bytes: Uint8Array): number | null {
  try {
    const settings = isBinaryFbx(bytes) ? readBinaryTimeSettings(bytes) : readAsciiTimeSettings(bytes);
    return settings ? frameRateOfTimeMode(settings.timeMode, settings.customFrameRate) : null;
  } catch {
    return null;
  }
}

/** FbxTime::EMode → frames per second (0 = default and 14 = custom are handled separately). */
const TIME_MODE_FRAME_RATES: Readonly<Record<number, number>> = {
  1: 120,
  2: 100,
  3: 60,
  4: 50,
  5: 48,
  6: 30,
  7: 30,
  8: 29.97,
  9: 29.97,
  10: 25,
  11: 24,
  12: 1000,
  13: 23.976,
  15: 96,
  16: 72,
  17: 59.94,
  18: 119.88,
};
const CUSTOM_TIME_MODE = 14;

function frameRateOfTimeMode(timeMode: number, customFrameRate: number | null): number | null {
  if (timeMode === CUSTOM_TIME_MODE)
    return customFrameRate !== null && customFrameRate > 0 ? customFrameRate : null;
  return TIME_MODE_FRAME_RATES[timeMode] ?? null;
}

interface TimeSettings {
  timeMode: number;
  customFrameRate: number | null;
}

const BINARY_MAGIC = 'Kaydara FBX Binary  \0';

function isBinaryFbx(bytes: Uint8Array): boolean {
  if (bytes.length < 27) return false;
  for (let i = 0; i < BINARY_MAGIC.length; i++) if (bytes[i] !== BINARY_MAGIC.charCodeAt(i)) return false;
  return true;
}

function readAsciiTimeSettings(bytes: Uint8Array): TimeSettings | null {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const timeMode = /P:\s*"TimeMode"\s*,[^\n]*,\s*(-?\d+)\s*$/m.exec(text)?.[1];
  if (timeMode === undefined) return null;
  const custom = /P:\s*"CustomFrameRate"\s*,[^\n]*,\s*([-+\d.eE]+)\s*$/m.exec(text)?.[1];
  return { timeMode: Number(timeMode), customFrameRate: custom === undefined ? null : Number(custom) };
}

interface NodeHeader {
  endOffset: number;
  propertyCount: number;
  propertiesStart: number;
  childrenStart: number;
  name: string;
}

/** Binary FBX node records (7.x; 64-bit record headers from 7.5). */
class BinaryFbxReader {
  private readonly view: DataView;
  private readonly wide: boolean;
  private readonly headerSize: number;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const version = this.view.getUint32(23, true);
    this.wide = version >= 7500;
    this.headerSize = this.wide ? 25 : 13;
  }

  /** The node record at `offset`, or null at the null record that ends a list (or past the end). */
  readHeader(offset: number): NodeHeader | null {
    const { bytes, view, wide, headerSize } = this;
    if (offset + headerSize > bytes.length) return null;
    const endOffset = wide ? Number(view.getBigUint64(offset, true)) : view.getUint32(offset, true);
    const propertyCount = wide
      ? Number(view.getBigUint64(offset + 8, true))
      : view.getUint32(offset + 4, true);
    const propertyListLength = wide
      ? Number(view.getBigUint64(offset + 16, true))
      : view.getUint32(offset + 8, true);
    const nameLength = view.getUint8(offset + (wide ? 24 : 12));
    if (endOffset === 0) return null; // the null record that ends a list
    const nameStart = offset + headerSize;
    const name = new TextDecoder().decode(bytes.subarray(nameStart, nameStart + nameLength));
    const propertiesStart = nameStart + nameLength;
    return {
      endOffset,
      propertyCount,
      propertiesStart,
      childrenStart: propertiesStart + propertyListLength,
      name,
    };
  }

  /** The first child named `name` among the records from `start` to `end`. */
  findChild(start: number, end: number, name: string): NodeHeader | null {
    let offset = start;
    while (offset < end) {
      const header = this.readHeader(offset);
      if (!header || header.endOffset <= offset) return null;
      if (header.name === name) return header;
      offset = header.endOffset;
    }
    return null;
  }

  /** A record's scalar and string properties (up to the first array, which Properties70 entries never hold). */
  readProperties(header: NodeHeader): Array<string | number> {
    const { bytes, view } = this;
    const values: Array<string | number> = [];
    let offset = header.propertiesStart;
    for (let i = 0; i < header.propertyCount; i++) {
      const type = String.fromCharCode(view.getUint8(offset));
      offset += 1;
      switch (type) {
        case 'S':
        case 'R': {
          const length = view.getUint32(offset, true);
          values.push(
            type === 'S' ? new TextDecoder().decode(bytes.subarray(offset + 4, offset + 4 + length)) : '',
          );
          offset += 4 + length;
          break;
        }
        case 'Y':
          values.push(view.getInt16(offset, true));
          offset += 2;
          break;
        case 'C':
          values.push(view.getUint8(offset));
          offset += 1;
          break;
        case 'I':
          values.push(view.getInt32(offset, true));
          offset += 4;
          break;
        case 'F':
          values.push(view.getFloat32(offset, true));
          offset += 4;
          break;
        case 'D':
          values.push(view.getFloat64(offset, true));
          offset += 8;
          break;
        case 'L':
          values.push(Number(view.getBigInt64(offset, true)));
          offset += 8;
          break;
        default:
          return values; // arrays never occur in Properties70 entries
      }
    }
    return values;
  }
}

/** Walks binary FBX node records to GlobalSettings/Properties70/P. */
function readBinaryTimeSettings(bytes: Uint8Array): TimeSettings | null {
  const reader = new BinaryFbxReader(bytes);
  const globalSettings = reader.findChild(27, bytes.length, 'GlobalSettings');
  if (!globalSettings) return null;
  const properties70 = reader.findChild(
    globalSettings.childrenStart,
    globalSettings.endOffset,
    'Properties70',
  );
  if (!properties70) return null;
  let timeMode: number | null = null;
  let customFrameRate: number | null = null;
  let offset = properties70.childrenStart;
  while (offset < properties70.endOffset) {
    const entry = reader.readHeader(offset);
    if (!entry || entry.endOffset <= offset) break;
    if (entry.name === 'P') {
      const values = reader.readProperties(entry);
      const last = values[values.length - 1];
      if (values[0] === 'TimeMode' && typeof last === 'number') timeMode = last;
      if (values[0] === 'CustomFrameRate' && typeof last === 'number') customFrameRate = last;
    }
    offset = entry.endOffset;
  }
  return timeMode === null ? null : { timeMode, customFrameRate };
}
