// Starting the desktop app when the mini-PC starts, so a store that lost power opens again with
// nobody there: an autostart entry on Linux (the freedesktop autostart folder of the user the
// kiosk signs in as), a login item on Windows. It writes or removes that one entry and nothing
// else; whether to start on boot is the settings' call.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppApi } from './electron-api';

export const AUTOSTART_FILE = 'roomhub.desktop';

export interface BootTarget {
  platform: NodeJS.Platform;
  /** The program to start: the AppImage file itself ($APPIMAGE), else the installed executable. */
  exec: string;
  homeDir: string;
  /** $XDG_CONFIG_HOME, when set. */
  configHome?: string | undefined;
}

export type BootEntry =
  | { kind: 'autostart-file'; file: string; enabled: boolean }
  | { kind: 'login-item'; enabled: boolean }
  | { kind: 'unsupported'; platform: NodeJS.Platform };

/**
 * One argument of a desktop entry's Exec line: quoted, with the characters the spec reserves
 * inside quotes escaped, then the backslashes doubled again for the file's string escaping, and
 * `%` doubled so it is not read as a field code.
 */
export function execArgument(arg: string): string {
  const quoted = arg.replace(/["`$\\]/g, (c) => `\\${c}`);
  return `"${quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%')}"`;
}

/** The autostart entry's text for the program at `exec`. */
export function autostartEntry(exec: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=RoomHub',
    'Name[zh_CN]=RoomHub 门店系统',
    "Comment=Starts the store's hub and its kiosk screen when the computer starts",
    'Comment[zh_CN]=开机时启动门店系统和自助屏',
    `Exec=${execArgument(exec)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export function autostartFile(target: BootTarget): string {
  return join(target.configHome || join(target.homeDir, '.config'), 'autostart', AUTOSTART_FILE);
}

/** Writes (or removes) the start-on-boot entry for this platform; says what it did. */
export function applyStartOnBoot(
  enabled: boolean,
  target: BootTarget,
  app: Pick<AppApi, 'setLoginItemSettings'>,
): BootEntry {
  if (target.platform === 'win32') {
    app.setLoginItemSettings({ openAtLogin: enabled, path: target.exec, args: [] });
    return { kind: 'login-item', enabled };
  }
  if (target.platform === 'linux') {
    const file = autostartFile(target);
    if (enabled) {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, autostartEntry(target.exec));
    } else {
      rmSync(file, { force: true });
    }
    return { kind: 'autostart-file', file, enabled };
  }
  return { kind: 'unsupported', platform: target.platform };
}
