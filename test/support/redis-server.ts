import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A redis-server of a test's own: loopback only, a free port, a temp folder, no snapshots. */
export interface TestRedis {
  url: string;
  port: number;
  /** Stops it for good (its data is gone: nothing is saved). */
  stop(): Promise<void>;
  /** Stops it, waits `pauseMs`, and starts it again on the same port, empty. */
  restart(pauseMs: number): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (taken and released at once). */
export async function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `redis-server` (Debian's; `.ci/run` installs it) on 127.0.0.1; always `stop()` it. */
export async function startTestRedis(): Promise<TestRedis> {
  const port = await freeLoopbackPort();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'vrm-lora-redis-'));
  let child: ChildProcess | null = null;
  const start = async () => {
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
      proc.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`redis-server could not start (${error.message}): apt-get install redis-server`));
      });
      proc.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  };
  const kill = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGTERM');
    });
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async restart(pauseMs) {
      await kill();
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
      await start();
    },
    async stop() {
      await kill();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
