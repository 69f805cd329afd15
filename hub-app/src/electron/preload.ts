// The kiosk window's preload: hands the page the shell's bridge (the receipt settings, print this
// receipt) and nothing else of Electron or Node. Runs sandboxed before the page, built on its own
// as CommonJS (dist/electron-preload.cjs), as a sandboxed preload must be.
import { contextBridge, ipcRenderer } from 'electron';
import type { ShellBridge } from '@roomhub/shared-types';
import { BRIDGE_CHANNELS, SHELL_BRIDGE } from './shell-bridge';

const bridge: ShellBridge = {
  receiptSettings: () => ipcRenderer.invoke(BRIDGE_CHANNELS.receiptSettings),
  printReceipt: (page) => ipcRenderer.invoke(BRIDGE_CHANNELS.printReceipt, page),
};

contextBridge.exposeInMainWorld(SHELL_BRIDGE, bridge);
