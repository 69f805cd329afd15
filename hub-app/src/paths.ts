// Where a path the user typed points: relative paths in settings and arguments (HUB_DATA_DIR,
// HUB_DEVICES, HUB_SCANNERS, a backup file) are taken from the folder the command was typed in,
// which npm passes on as INIT_CWD, never from the package folder npm runs the script in.
// It must never read a setting itself: callers say which one and what its default is.
import { isAbsolute, resolve } from 'node:path';

/** The folder the user typed the command in. */
export function typedIn(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** `path` as the user meant it: absolute as it is, relative from where they typed the command. */
export function fromTypedIn(path: string): string {
  return isAbsolute(path) ? path : resolve(typedIn(), path);
}

/** The hub's data folder: HUB_DATA_DIR as typed, or `data/hub` at the repository's root. */
export function hubDataDir(): string {
  const given = process.env.HUB_DATA_DIR;
  return given ? fromTypedIn(given) : resolve(import.meta.dirname, '../../data/hub');
}
