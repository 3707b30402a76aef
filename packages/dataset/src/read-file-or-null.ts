import fs from 'node:fs/promises';

/** The bytes of `file`, or `null` when it does not exist (any other error is thrown). */
export async function readFileOrNull(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
