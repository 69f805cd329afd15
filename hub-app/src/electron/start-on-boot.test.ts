import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoginItemSettings } from './electron-api';
import { applyStartOnBoot, autostartEntry, execArgument } from './start-on-boot';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const home = () => {
  const d = mkdtempSync(join(tmpdir(), 'boot-'));
  dirs.push(d);
  return d;
};
const noLoginItems = {
  setLoginItemSettings: () => {
    throw new Error('no login items on Linux');
  },
};

describe('starting the desktop app on boot', () => {
  it('writes a freedesktop autostart entry on Linux that starts the AppImage itself', () => {
    const h = home();
    const entry = applyStartOnBoot(
      true,
      { platform: 'linux', exec: '/home/store/RoomHub-0.1.0.AppImage', homeDir: h },
      noLoginItems,
    );
    const file = join(h, '.config', 'autostart', 'roomhub.desktop');
    expect(entry).toEqual({ kind: 'autostart-file', file, enabled: true });
    expect(readFileSync(file, 'utf8')).toBe(
      [
        '[Desktop Entry]',
        'Type=Application',
        'Name=RoomHub',
        'Name[zh_CN]=RoomHub 门店系统',
        "Comment=Starts the store's hub and its kiosk screen when the computer starts",
        'Comment[zh_CN]=开机时启动门店系统和自助屏',
        'Exec="/home/store/RoomHub-0.1.0.AppImage"',
        'Terminal=false',
        'X-GNOME-Autostart-enabled=true',
        '',
      ].join('\n'),
    );
  });

  it('puts the entry under $XDG_CONFIG_HOME when set, and removes it when start on boot is off', () => {
    const h = home();
    const target = {
      platform: 'linux' as const,
      exec: '/opt/RoomHub/roomhub',
      homeDir: h,
      configHome: join(h, 'cfg'),
    };
    const on = applyStartOnBoot(true, target, noLoginItems);
    const file = join(h, 'cfg', 'autostart', 'roomhub.desktop');
    expect(on).toMatchObject({ file });
    expect(existsSync(file)).toBe(true);
    applyStartOnBoot(false, target, noLoginItems);
    expect(existsSync(file)).toBe(false);
    // Off twice is still off.
    expect(applyStartOnBoot(false, target, noLoginItems)).toMatchObject({ enabled: false });
  });

  it('quotes a program path with spaces, quotes, dollars, backslashes and percents as the spec says', () => {
    expect(execArgument('/media/U盘/Room Hub.AppImage')).toBe('"/media/U盘/Room Hub.AppImage"');
    expect(execArgument('/a/"b"/$HOME/100%/c\\d')).toBe(
      '"/a/\\\\"b\\\\"/\\\\$HOME/100%%/c\\\\\\\\d"',
    );
    expect(autostartEntry('/x y/roomhub')).toContain('Exec="/x y/roomhub"\n');
  });

  it('sets a login item for the installed executable on Windows, and clears it when off', () => {
    const calls: LoginItemSettings[] = [];
    const app = { setLoginItemSettings: (s: LoginItemSettings) => void calls.push(s) };
    const exe = 'C:\\Program Files\\RoomHub\\RoomHub.exe';
    const target = { platform: 'win32' as const, exec: exe, homeDir: 'C:\\Users\\store' };
    expect(applyStartOnBoot(true, target, app)).toEqual({ kind: 'login-item', enabled: true });
    applyStartOnBoot(false, target, app);
    expect(calls).toEqual([
      { openAtLogin: true, path: exe, args: [] },
      { openAtLogin: false, path: exe, args: [] },
    ]);
  });
});
