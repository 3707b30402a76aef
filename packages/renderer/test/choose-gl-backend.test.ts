// The default GL backend: the choice from the machine's devices, the software-renderer check, and (in a real
// browser) the fall-back to SwiftShader when the GPU backend `auto` chose gives no hardware renderer.
import { afterAll, describe, expect, test } from 'vitest';
import {
  chooseGlBackend,
  createRenderer,
  isSoftwareGlRenderer,
  probeGpu,
  type Renderer,
} from '../src/index.js';
import { buildPageBundle } from './support/render-test-kit.js';

describe('chooseGlBackend', () => {
  test('Linux without a GPU device: SwiftShader', () => {
    expect(chooseGlBackend({ platform: 'linux', renderNodes: [], nvidiaDevice: false })).toEqual({
      backend: 'swiftshader',
      reason: 'no GPU device (/dev/dri/renderD*, /dev/nvidia0)',
    });
  });
  test('Linux with a render node or an NVIDIA device: ANGLE on Vulkan', () => {
    expect(
      chooseGlBackend({ platform: 'linux', renderNodes: ['/dev/dri/renderD128'], nvidiaDevice: false }),
    ).toEqual({ backend: 'angle-vulkan', reason: 'GPU device /dev/dri/renderD128' });
    expect(chooseGlBackend({ platform: 'linux', renderNodes: [], nvidiaDevice: true }).backend).toBe(
      'angle-vulkan',
    );
  });
  test("Windows and macOS: Chromium's own GPU backend", () => {
    for (const platform of ['win32', 'darwin'] as const) {
      expect(chooseGlBackend({ platform, renderNodes: [], nvidiaDevice: false }).backend).toBe(
        'angle-default',
      );
    }
  });
  test('this machine: the probe reads its devices', () => {
    const probe = probeGpu();
    expect(probe.platform).toBe(process.platform);
    for (const node of probe.renderNodes) expect(node).toMatch(/^\/dev\/dri\/renderD\d+$/);
  });
});

describe('isSoftwareGlRenderer', () => {
  test.each([
    ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', true],
    ['ANGLE (Mesa, llvmpipe (LLVM 15.0.6, 256 bits), OpenGL 4.5)', true],
    ['ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)', true],
    ['ANGLE (NVIDIA Corporation, NVIDIA H100 80GB HBM3/PCIe/SSE2, OpenGL 4.5.0)', false],
    ['ANGLE (NVIDIA, Vulkan 1.3.277 (NVIDIA H100 80GB HBM3 (0x00002330)), NVIDIA-550.90.7.0)', false],
    ['ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)', false],
  ])('%s → %s', (renderer, software) => {
    expect(isSoftwareGlRenderer(renderer)).toBe(software);
  });
});

describe('auto falls back to SwiftShader without a GPU', () => {
  let renderer: Renderer | undefined;
  afterAll(async () => {
    await renderer?.close();
  });
  test('a GPU backend chosen from a device this machine lacks gives way to swiftshader, and says so', async () => {
    buildPageBundle();
    const logs: string[] = [];
    // This machine shows no GPU; the probe claims one, so `auto` tries ANGLE on Vulkan first.
    renderer = await createRenderer({
      pages: 1,
      browser: {
        glBackend: 'auto',
        gpuProbe: { platform: 'linux', renderNodes: ['/dev/dri/renderD128'], nvidiaDevice: false },
      },
      onLog: (line) => logs.push(line),
    });
    const facts = await renderer.runtimeFacts();
    expect(facts.glBackend).toBe('swiftshader');
    expect(isSoftwareGlRenderer(facts.glRenderer)).toBe(true);
    expect(facts.glBackendReason).toMatch(
      /^auto: GPU device \/dev\/dri\/renderD128; angle-vulkan gave .+, fell back to swiftshader$/,
    );
    expect(logs.some((l) => l.startsWith('GL backend angle-vulkan not used ('))).toBe(true);
  });
  test('auto on this machine (no GPU device): swiftshader at once', async (context) => {
    if (probeGpu().renderNodes.length > 0 || probeGpu().nvidiaDevice) return context.skip();
    const r = await createRenderer({ pages: 1 });
    try {
      const facts = await r.runtimeFacts();
      expect(facts.glBackend).toBe('swiftshader');
      expect(facts.glBackendReason).toBe('auto: no GPU device (/dev/dri/renderD*, /dev/nvidia0)');
      expect(facts.glRenderer).toMatch(/SwiftShader/);
    } finally {
      await r.close();
    }
  });
});
