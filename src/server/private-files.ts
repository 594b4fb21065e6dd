/**
 * Files only the endpoint's user may read: the data folder (0700), the databases (0600) and
 * the HMAC key (0600, synced to disk with its folder entry, so that a key that pseudonymised
 * stored subjects is never lost to a power cut).
 *
 *   makePrivateDir('data'); createPrivateFile('data/assent.sqlite');
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Creates the folder (and any missing parents) readable by the owner only; an existing one is left as it is. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Creates an empty file with mode 0600 if there is none, before SQLite opens it: SQLite gives
 * a database's -wal and -shm files the database file's mode, so they are private too.
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', 0o600));
}

/** Writes a new file (failing if it exists) with mode 0600, then syncs it and its folder to disk. */
export function writePrivateFileDurably(file: string, content: string): void {
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // A new file's name lives in its folder: until the folder is synced, a crash can lose it.
  syncFolder(dirname(file));
}

function syncFolder(folder: string): void {
  const dir = openSync(folder, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/**
 * Replaces a file's content all at once (a crash leaves the old or the new content, never a
 * mix): writes a private temporary file beside it, syncs it, renames it over, syncs the folder.
 */
export function replacePrivateFileDurably(file: string, content: string): void {
  const temporary = `${file}.new`;
  rmSync(temporary, { force: true });
  writePrivateFileDurably(temporary, content);
  renameSync(temporary, file);
  syncFolder(dirname(file));
}
