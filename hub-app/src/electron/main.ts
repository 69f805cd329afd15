// The desktop app's entry: Electron's main process. The one file that imports `electron`; it hands
// the real API to the shell (shell.ts), which holds all the logic and is tested without Electron.
// Built by `npm run build -w @roomhub/hub-app` to `dist/electron-main.mjs`, beside the hub's own
// build (`dist/main.mjs`) and its V8 flags (`dist/node-flags.json`).
import { app, BrowserWindow, ipcMain, powerSaveBlocker, screen, utilityProcess } from 'electron';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PACKAGED_SCREENS, startShell } from './shell';

const here = import.meta.dirname;

await startShell(
  {
    app,
    screen,
    openWindow: (options) => new BrowserWindow(options),
    forkService: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
    keepDisplayAwake: () => {
      powerSaveBlocker.start('prevent-display-sleep');
    },
    handle: (channel, handler) => ipcMain.handle(channel, handler),
  },
  {
    hubModule: join(here, 'main.mjs'),
    // Packaged, the screens are beside the app (electron-builder.yml's extraResources).
    screensDir: app.isPackaged ? join(process.resourcesPath, PACKAGED_SCREENS) : undefined,
    platform: process.platform,
    env: process.env,
    // An AppImage runs from a temporary mount: boot must start the AppImage file itself.
    bootExec: process.env.APPIMAGE ?? process.execPath,
    homeDir: homedir(),
    nodeFlags: JSON.parse(readFileSync(join(here, 'node-flags.json'), 'utf8')) as string[],
    // Built beside the shell (scripts/build.ts): the kiosk page's bridge to the receipt printer.
    preload: join(here, 'electron-preload.cjs'),
    // A developer's run shows the log in the terminal too.
    ...(app.isPackaged ? {} : { echo: (line: string) => console.log(line) }),
  },
);
