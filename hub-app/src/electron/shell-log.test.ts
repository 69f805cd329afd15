import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openShellLog } from './shell-log';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("the desktop app's log", () => {
  it('writes each line with its time, in a file only the app’s user can read', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'shell-log-')), 'logs');
    dirs.push(join(dir, '..'));
    const log = openShellLog(dir, { now: () => Date.UTC(2026, 11, 3, 8, 0, 0) });
    log.write('hub: starting');
    log.write('hub stdout:   API            http://127.0.0.1:8080/api/health');
    expect(readFileSync(log.file, 'utf8')).toBe(
      '2026-12-03T08:00:00.000Z hub: starting\n' +
        '2026-12-03T08:00:00.000Z hub stdout:   API            http://127.0.0.1:8080/api/health\n',
    );
    expect(statSync(log.file).mode & 0o777).toBe(0o600);
  });

  it('moves the log aside once it passes its limit, keeping one older file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shell-log-'));
    dirs.push(dir);
    const log = openShellLog(dir, { maxBytes: 200, now: () => 0 });
    for (let i = 0; i < 30; i++) log.write(`line ${i}`);
    const now = readFileSync(log.file, 'utf8');
    const before = readFileSync(`${log.file}.1`, 'utf8');
    expect(Buffer.byteLength(now)).toBeLessThanOrEqual(200);
    expect(now).toContain('line 29');
    expect(before).not.toContain('line 29');
    // A log reopened (the app started again) goes on counting from the file's size.
    const again = openShellLog(dir, { maxBytes: 200, now: () => 0 });
    for (let i = 30; i < 40; i++) again.write(`line ${i}`);
    expect(Buffer.byteLength(readFileSync(again.file, 'utf8'))).toBeLessThanOrEqual(200);
  });

  it('never throws when the log cannot be written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shell-log-'));
    dirs.push(dir);
    // A file where the log's folder should be.
    writeFileSync(join(dir, 'logs'), '');
    const log = openShellLog(join(dir, 'logs'));
    expect(() => log.write('hub: starting')).not.toThrow();
    expect(() => log.write('hub: serving')).not.toThrow();
  });
});
