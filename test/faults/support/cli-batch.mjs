// Runs many `vrm-lora` command lines in ONE Node process, through the built CLI's own command registry
// (apps/cli/dist/cli-parts.js, bundled beside main.js), with main.ts's error handling. A CLI process costs ~0.2 s (idle machine) to
// ~0.5 s (loaded) of start-up against ~1 ms per case here: it would dominate hundreds of invalid manifests.
//
// Usage: node cli-batch.mjs <cases.json> <results.json>
//   cases.json: [{ "args": ["validate", "/path/m.json"] }, …]
//   results.json: [{ "exitCode": 2, "stdout": "…", "stderr": "…", "ms": 3.1 }, …]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const { Command, registerCommands, exitCodes } = await import(
  path.join(repoRoot, 'apps', 'cli', 'dist', 'cli-parts.js')
);

const [casesFile, resultsFile] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const results = [];
const realStdout = process.stdout.write.bind(process.stdout);
const realStderr = process.stderr.write.bind(process.stderr);

for (const c of cases) {
  let stdout = '';
  let stderr = '';
  process.stdout.write = (chunk) => {
    stdout += String(chunk);
    return true;
  };
  process.stderr.write = (chunk) => {
    stderr += String(chunk);
    return true;
  };
  process.exitCode = undefined;
  const started = performance.now();
  // As apps/cli/src/main.ts does it.
  const program = new Command()
    .name('vrm-lora')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerCommands(program);
  try {
    await program.parseAsync(['node', 'vrm-lora', ...c.args]);
  } catch (error) {
    if (typeof error?.code === 'string' && error.code.startsWith('commander.')) {
      process.exitCode = error.exitCode === 0 ? 0 : exitCodes.invalidInput;
    } else if (error?.name === 'DatasetError') {
      stderr += `vrm-lora: ${error.message}\n`;
      process.exitCode = exitCodes.failed;
    } else {
      stderr += `vrm-lora: internal error: ${error?.message ?? String(error)}\n${error?.stack ?? ''}\n`;
      process.exitCode = exitCodes.failed;
    }
  }
  const ms = performance.now() - started;
  process.stdout.write = realStdout;
  process.stderr.write = realStderr;
  results.push({ exitCode: process.exitCode ?? 0, stdout, stderr, ms });
}
process.exitCode = 0;
fs.writeFileSync(resultsFile, JSON.stringify(results));
