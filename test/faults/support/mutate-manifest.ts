/** One generated bad manifest. */
export interface ManifestMutation {
  /** What was done, e.g. `width = "512"`. */
  name: string;
  /** The file's bytes. */
  bytes: Buffer;
  /** Text the error output must contain besides the file name (usually the JSON path), if known. */
  mentions?: string;
}

/** A valid manifest every mutation starts from (one built-in pose and one FBX clip, `clip.fbx`). */
export function baseManifest(): Record<string, unknown> {
  return {
    width: 128,
    height: 128,
    topFrameOffsetPixels: 6,
    bottomFrameOffsetPixels: 6,
    backgroundGrayscale: 0.5,
    backgroundDescription: 'plain grey background',
    dataCollection: [
      {
        animationPath: 'builtin:waving',
        animationFrame: 0,
        lookAtCamera: true,
        expression: 'happy',
        cameraPosition: 'front',
        cameraFrame: 'fullShot',
        description: 'a mannequin waving',
      },
      {
        animationPath: 'clip.fbx',
        animationFrame: 3,
        cameraPosition: [0, 0.2, 1],
        cameraFrame: 'mediumShot',
        description: 'a mannequin raising an arm',
      },
    ],
  };
}

type Kind = 'string' | 'number' | 'int' | 'boolean' | 'array' | 'object' | 'vec3' | 'position' | 'background';

/** Values of the wrong JSON type for a field of `kind`. */
function wrongTypes(kind: Kind): unknown[] {
  switch (kind) {
    case 'string':
      return [42, true, null, ['x'], { a: 1 }];
    case 'number':
    case 'int':
      return ['1', true, null, [1], { value: 1 }];
    case 'boolean':
      return ['true', 1, null, [true], {}];
    case 'array':
      return ['x.vrm', 1, null, { 0: 'x' }];
    case 'object':
      return ['x', 1, null, [], true];
    case 'vec3':
      return ['0,0,1', 1, null, { x: 0, y: 0, z: 1 }, [0, 0, '1']];
    case 'position':
      return [1, true, null, { x: 0 }, [0, 1]];
    case 'background':
      return [1, true, null, { r: 0 }, [0, 0]];
  }
}

const topFields: Record<string, Kind> = {
  $schema: 'string',
  assetsLocation: 'string',
  animationsDirectory: 'string',
  backgroundGrayscale: 'number',
  background: 'background',
  backgroundDescription: 'string',
  width: 'int',
  height: 'int',
  topFrameOffsetPixels: 'int',
  bottomFrameOffsetPixels: 'int',
  avatar: 'string',
  avatars: 'array',
  trigger: 'string',
  classToken: 'string',
  caption: 'object',
  repeats: 'int',
  layout: 'string',
  image: 'object',
  wrapAnimations: 'boolean',
  dataCollection: 'array',
};

const entryFields: Record<string, Kind> = {
  id: 'string',
  animationPath: 'string',
  animationTake: 'string',
  animationFrame: 'int',
  animationTime: 'number',
  wrapAnimation: 'boolean',
  lookAtCamera: 'boolean',
  cameraPosition: 'position',
  cameraFrame: 'string',
  cameraLocalOffset: 'vec3',
  description: 'string',
  width: 'int',
  height: 'int',
  topFrameOffsetPixels: 'int',
  bottomFrameOffsetPixels: 'int',
  backgroundGrayscale: 'number',
  background: 'background',
  backgroundDescription: 'string',
};

const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2));

/** A JSON value nested `depth` levels deep (`[[[…]]]` or `{"a":{"a":…}}`), built as text. */
export function deeplyNested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Every mutation (over 250): wrong types, missing fields, bad numbers, unknown names, nesting, bad bytes. */
export function generateMutations(): ManifestMutation[] {
  const out: ManifestMutation[] = [];
  const edit = (name: string, mentions: string | undefined, change: (m: Record<string, unknown>) => void) => {
    const m = baseManifest();
    change(m);
    out.push({ name, bytes: json(m), ...(mentions ? { mentions } : {}) });
  };
  const entry = (m: Record<string, unknown>, i = 0) => (m.dataCollection as Record<string, unknown>[])[i]!;

  // Wrong types, every field.
  for (const [field, kind] of Object.entries(topFields))
    for (const value of wrongTypes(kind))
      edit(`${field} = ${JSON.stringify(value)}`, field, (m) => {
        m[field] = value;
      });
  for (const [field, kind] of Object.entries(entryFields))
    for (const value of wrongTypes(kind))
      edit(`dataCollection[1].${field} = ${JSON.stringify(value)}`, `dataCollection[1].${field}`, (m) => {
        entry(m, 1)[field] = value;
      });

  // Missing and empty.
  edit('no dataCollection', 'dataCollection', (m) => {
    delete m.dataCollection;
  });
  edit('dataCollection = []', 'dataCollection', (m) => {
    m.dataCollection = [];
  });
  for (const field of ['animationPath', 'description'])
    edit(`dataCollection[0] without ${field}`, `dataCollection[0].${field}`, (m) => {
      delete entry(m)[field];
    });
  edit('dataCollection[0] = {}', 'dataCollection[0]', (m) => {
    (m.dataCollection as unknown[])[0] = {};
  });
  edit('dataCollection[1] = null', 'dataCollection[1]', (m) => {
    (m.dataCollection as unknown[])[1] = null;
  });
  edit('dataCollection[0] = "Walking.fbx"', 'dataCollection[0]', (m) => {
    (m.dataCollection as unknown[])[0] = 'Walking.fbx';
  });
  edit('animationPath = ""', 'dataCollection[0].animationPath', (m) => {
    entry(m).animationPath = '';
  });
  for (const top of [[], 'manifest', 42, null, true])
    out.push({ name: `the whole file is ${JSON.stringify(top)}`, bytes: json(top) });

  // Huge, negative, fractional and non-finite numbers.
  const numbers: [string, unknown][] = [
    ['width', -1],
    ['width', 0],
    ['width', 1e9],
    ['width', 1e308],
    ['width', 128.5],
    ['height', -128],
    ['height', 2 ** 53],
    ['topFrameOffsetPixels', -6],
    ['topFrameOffsetPixels', 1e12],
    ['bottomFrameOffsetPixels', 200],
    ['backgroundGrayscale', -0.1],
    ['backgroundGrayscale', 1.0001],
    ['backgroundGrayscale', 1e308],
    ['repeats', 0],
    ['repeats', 10001],
    ['repeats', -3],
    ['repeats', 2.5],
  ];
  for (const [field, value] of numbers)
    edit(`${field} = ${value}`, field, (m) => {
      m[field] = value;
    });
  const entryNumbers: [string, unknown][] = [
    ['animationFrame', -1],
    ['animationFrame', 1.5],
    ['animationFrame', -1e308],
    ['animationTime', -0.5],
    ['width', -5],
    ['height', 1e10],
    ['backgroundGrayscale', 2],
    ['cameraPosition', [0, 0, 0]],
    ['cameraPosition', [1, 2]],
    ['cameraPosition', [1, 2, 3, 4]],
    ['background', [256, 0, 0]],
    ['background', [-1, 0, 0]],
    ['background', [0.5, 0, 0]],
  ];
  for (const [field, value] of entryNumbers)
    edit(`dataCollection[1].${field} = ${JSON.stringify(value)}`, `dataCollection[1].${field}`, (m) => {
      entry(m, 1)[field] = value;
    });
  // Non-finite numbers can only be written as text: 1e400 parses to Infinity.
  for (const [field, literal] of [
    ['width', '1e400'],
    ['backgroundGrayscale', '-1e400'],
    ['repeats', '1e400'],
  ] as const) {
    const text = JSON.stringify({ ...baseManifest(), [field]: 7 }, null, 2).replace(
      `"${field}": 7`,
      `"${field}": ${literal}`,
    );
    out.push({ name: `${field} = ${literal}`, bytes: Buffer.from(text), mentions: field });
  }
  {
    const m = baseManifest();
    (m.dataCollection as Record<string, unknown>[])[1]!.cameraPosition = ['INFINITY', 0.2, 1];
    const text = JSON.stringify(m, null, 2).replace('"INFINITY"', '1e999');
    out.push({
      name: 'cameraPosition [1e999, …]',
      bytes: Buffer.from(text),
      mentions: 'dataCollection[1].cameraPosition',
    });
  }

  // Unknown names (typos and values).
  const unknownTop: [string, unknown][] = [
    ['widht', 512],
    ['datacollection', []],
    ['Width', 512],
    ['__proto__', { polluted: true }],
    ['constructor', { prototype: { polluted: true } }],
  ];
  for (const [field, value] of unknownTop)
    edit(`unknown top-level "${field}"`, field === '__proto__' ? undefined : field, (m) => {
      Object.defineProperty(m, field, { value, enumerable: true, configurable: true, writable: true });
    });
  const unknownEntry: [string, string, unknown][] = [
    ['field', 'animationpath', 'Walking.fbx'],
    ['field', 'camera', 'front'],
    ['field', 'descripton', 'x'],
    ['value', 'cameraFrame', 'fullshoot'],
    ['value', 'cameraFrame', 'wideShot'],
    ['value', 'cameraPosition', 'sideways'],
    ['value', 'cameraPosition', 'front-back'],
    ['value', 'animationPath', 'builtin:moonwalk'],
    ['value', 'animationPath', 'missing.fbx'],
    ['value', 'animationPath', 'clip.txt'],
    ['value', 'animationPath', 'Clip.FBX '],
    ['value', 'id', '../escape'],
    ['value', 'id', 'x'.repeat(65)],
    ['value', 'background', '#12345'],
    ['value', 'background', 'red'],
  ];
  for (const [what, field, value] of unknownEntry)
    edit(
      `dataCollection[1]: unknown ${what} ${field} = ${JSON.stringify(value)}`,
      `dataCollection[1].${field}`,
      (m) => {
        entry(m, 1)[field] = value;
      },
    );
  const unknownValues: [string, unknown][] = [
    ['layout', 'diffusers'],
    ['caption', { style: 'prose' }],
    ['caption', { template: '{trigger} {nope}' }],
    ['caption', { template: '' }],
    ['caption', { extension: 'md' }],
    ['caption', { unknown: 1 }],
    ['image', { format: 'gif' }],
    ['image', { quality: 0 }],
    ['image', { quality: 101 }],
    ['image', { alphaMask: 'maybe' }],
    ['trigger', ''],
    ['trigger', 'two\nlines'],
    ['classToken', '   '],
    ['avatars', ['']],
  ];
  for (const [field, value] of unknownValues)
    edit(`${field} = ${JSON.stringify(value)}`, field, (m) => {
      m[field] = value;
    });

  // Deep nesting: as a field's value, as the whole file, as an entry.
  for (const depth of [64, 5000, 200_000])
    for (const kind of ['array', 'object'] as const) {
      const text = JSON.stringify({ ...baseManifest(), description: 0 }).replace(
        '"description":0',
        `"description":${deeplyNested(depth, kind)}`,
      );
      out.push({ name: `top-level description nested ${depth} deep (${kind})`, bytes: Buffer.from(text) });
    }
  out.push({ name: 'the whole file nested 100000 deep', bytes: Buffer.from(deeplyNested(100_000, 'array')) });
  {
    const text = JSON.stringify(baseManifest()).replace(
      '"dataCollection":[',
      `"dataCollection":[${deeplyNested(50_000, 'array')},`,
    );
    out.push({ name: 'dataCollection[0] nested 50000 deep', bytes: Buffer.from(text) });
  }

  // Bytes that are not (good) UTF-8 JSON text.
  const valid = json(baseManifest());
  const at = valid.indexOf('a mannequin waving') + 2;
  const withBytes = (bytes: number[]) =>
    Buffer.concat([valid.subarray(0, at), Buffer.from(bytes), valid.subarray(at)]);
  out.push({ name: 'a Latin-1 é (0xe9) in a string', bytes: withBytes([0xe9]) });
  out.push({ name: 'bytes 0xff 0xfe inside a string', bytes: withBytes([0xff, 0xfe]) });
  out.push({ name: 'an overlong "/" (0xc0 0xaf)', bytes: withBytes([0xc0, 0xaf]) });
  out.push({ name: 'a lone continuation byte 0x80', bytes: withBytes([0x80]) });
  out.push({
    name: 'a UTF-16 surrogate encoded in UTF-8 (0xed 0xa0 0x80)',
    bytes: withBytes([0xed, 0xa0, 0x80]),
  });
  out.push({
    name: 'a truncated 3-byte sequence at the end',
    bytes: Buffer.concat([valid, Buffer.from([0xe2, 0x82])]),
  });
  out.push({
    name: 'UTF-16 LE with BOM',
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(valid.toString(), 'utf16le')]),
  });
  out.push({
    name: 'UTF-16 BE with BOM',
    bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(valid.toString(), 'utf16le').swap16()]),
  });
  out.push({ name: 'UTF-16 LE without BOM', bytes: Buffer.from(valid.toString(), 'utf16le') });
  out.push({
    name: 'a NUL byte between tokens',
    bytes: Buffer.concat([Buffer.from('{\0'), valid.subarray(1)]),
  });
  out.push({ name: 'an empty file', bytes: Buffer.alloc(0) });
  out.push({ name: 'only whitespace', bytes: Buffer.from(' \n\t\n') });
  out.push({ name: 'cut in half', bytes: valid.subarray(0, valid.length >> 1) });
  out.push({ name: 'trailing garbage', bytes: Buffer.concat([valid, Buffer.from('garbage')]) });
  out.push({ name: 'two documents', bytes: Buffer.concat([valid, valid]) });
  out.push({ name: 'with a // comment', bytes: Buffer.from(`// my manifest\n${valid}`) });
  out.push({ name: 'single quotes', bytes: Buffer.from(valid.toString().replace(/"/g, "'")) });
  out.push({ name: 'a trailing comma', bytes: Buffer.from(valid.toString().replace(/\n}\s*$/, ',\n}')) });
  out.push({
    name: 'a raw control character in a string',
    bytes: Buffer.from(valid.toString().replace('waving', 'wav\u0001ing')),
  });
  out.push({
    name: 'a PNG file',
    bytes: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'),
  });
  out.push({
    name: 'random bytes',
    bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)),
  });
  return out;
}
