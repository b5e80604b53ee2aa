/**
 * Small state files replaced atomically: write a temp file, fsync it, rename
 * it over the old one, fsync the directory. A power cut leaves either the old
 * or the new content, never half of each.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp`;
  const fh = await fs.open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
  await fsyncDir(path.dirname(file));
}

/** fsync a directory so a rename or unlink in it is durable. Windows cannot open directories: skipped there. */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(dir, "r");
    await fh.sync();
  } catch {
    /* best effort: some filesystems refuse directory fsync */
  } finally {
    await fh?.close();
  }
}

/** Parsed JSON of `file`, or `fallback` when it does not exist. A corrupt file throws. */
export async function readJsonFile<T>(file: string, fallback: T): Promise<T> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return fallback;
    throw e;
  }
  return JSON.parse(text) as T;
}
