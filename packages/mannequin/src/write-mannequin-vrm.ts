import { rename, rm, writeFile } from 'node:fs/promises';
import { type CreateMannequinVrmOptions, createMannequinVrm } from './create-mannequin-vrm.js';

/** Writes the mannequin VRM to `file` (through a temporary file in the same folder, then a rename). */
export async function writeMannequinVrm(
  file: string,
  options: CreateMannequinVrmOptions = {},
): Promise<void> {
  const bytes = await createMannequinVrm(options);
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  try {
    await writeFile(temporary, bytes);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`writeMannequinVrm: could not write ${file}: ${(error as Error).message}`);
  }
}
