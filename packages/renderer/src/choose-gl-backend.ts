// The default GL backend (`auto`): a GPU where the machine has one, SwiftShader (CPU) where it has none. The
// choice is made from what the machine shows before a browser starts (so cache keys can name it), and a
// GPU choice is kept only when WebGL really starts on hardware (see `isSoftwareGlRenderer`).
import fs from 'node:fs';
import os from 'node:os';
import type { ConcreteGlBackend } from './render-parameters.js';

/** What the machine shows of its GPUs, read without starting a browser. */
export interface GpuProbe {
  platform: NodeJS.Platform;
  /** Linux DRM render nodes (`/dev/dri/renderD*`): any GPU with a kernel driver (Intel, AMD, NVIDIA, virtio). */
  renderNodes: string[];
  /** `/dev/nvidia0` exists (NVIDIA's proprietary driver). */
  nvidiaDevice: boolean;
}

/** A GL backend chosen for this machine, and why. */
export interface GlBackendChoice {
  backend: ConcreteGlBackend;
  reason: string;
}

/** Reads the machine's GPU devices (Linux: /dev/dri and /dev/nvidia0; elsewhere only the platform). */
export function probeGpu(): GpuProbe {
  const platform = os.platform();
  let renderNodes: string[] = [];
  try {
    renderNodes = fs
      .readdirSync('/dev/dri')
      .filter((name) => name.startsWith('renderD'))
      .sort()
      .map((name) => `/dev/dri/${name}`);
  } catch {
    // no /dev/dri: no DRM GPU (or not Linux)
  }
  return { platform, renderNodes, nvidiaDevice: fs.existsSync('/dev/nvidia0') };
}

/**
 * The backend `auto` stands for on a machine: Chromium's own choice (Direct3D on Windows, Metal on macOS,
 * both on the GPU); ANGLE on Vulkan on a Linux machine with a GPU device; SwiftShader on a Linux machine
 * without one (a headless Chromium would otherwise fall back to software GL itself, or fail).
 */
export function chooseGlBackend(probe: GpuProbe): GlBackendChoice {
  if (probe.platform === 'win32' || probe.platform === 'darwin') {
    return { backend: 'angle-default', reason: `${probe.platform}: Chromium's own GPU backend` };
  }
  const devices = [...probe.renderNodes, ...(probe.nvidiaDevice ? ['/dev/nvidia0'] : [])];
  if (devices.length > 0) {
    return { backend: 'angle-vulkan', reason: `GPU device ${devices.join(', ')}` };
  }
  return { backend: 'swiftshader', reason: 'no GPU device (/dev/dri/renderD*, /dev/nvidia0)' };
}

/**
 * Whether a WebGL renderer string (`UNMASKED_RENDERER_WEBGL`) names a software rasteriser: SwiftShader,
 * Mesa's llvmpipe / softpipe, Microsoft's Basic Render Driver (WARP). A GPU backend that reports one of these
 * did not reach the GPU.
 */
export function isSoftwareGlRenderer(glRenderer: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(glRenderer);
}
