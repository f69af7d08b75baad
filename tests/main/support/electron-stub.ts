/**
 * A stand-in for the `electron` module, bundled in place of it (esbuild alias) so the Electron
 * shell's wiring can be exercised in plain Node. It records what the shell asks of Electron and
 * lets the test play Electron's part (ready, IPC from a frame, protocol requests, crashes).
 */
type Listener = (...args: never[]) => unknown;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((l) => (l as (...a: unknown[]) => unknown)(...args));
  }
}

export class FakeWebContents extends Emitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  sent: Array<{ channel: string; payload: unknown }> = [];
  reloads = 0;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  reload(): void {
    this.reloads += 1;
  }
  forcefullyCrashRenderer(): void {}
  isDestroyed(): boolean {
    return false;
  }
}

export interface StubState {
  schemes: unknown[];
  protocolHandlers: Map<string, (request: Request) => Response | Promise<Response>>;
  ipcHandlers: Map<string, (event: unknown, ...args: unknown[]) => unknown>;
  windows: BrowserWindow[];
  menu: unknown;
  powerSaveBlockers: string[];
  permissionRequest: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheck: ((...args: unknown[]) => boolean) | undefined;
  devicePermission: ((...args: unknown[]) => boolean) | undefined;
  sandboxEnabled: boolean;
  relaunches: number;
  exitCode: number | undefined;
  userData: string;
  makeReady: () => void;
  app: typeof app;
}

let makeReady: () => void = () => undefined;
const ready = new Promise<void>((resolve) => (makeReady = resolve));

const state: StubState = {
  schemes: [],
  protocolHandlers: new Map(),
  ipcHandlers: new Map(),
  windows: [],
  menu: 'unset',
  powerSaveBlockers: [],
  permissionRequest: undefined,
  permissionCheck: undefined,
  devicePermission: undefined,
  sandboxEnabled: false,
  relaunches: 0,
  exitCode: undefined,
  userData: '',
  makeReady: () => makeReady(),
  app: undefined as never,
};
(globalThis as { __electronStub?: StubState }).__electronStub = state;

export const app = Object.assign(new Emitter(), {
  isPackaged: false,
  getPath: (_name: string) => state.userData,
  setPath: (_name: string, path: string) => {
    state.userData = path;
  },
  getAppPath: () => process.env.ELECTRON_STUB_APP_PATH ?? process.cwd(),
  getVersion: () => '9.9.9-stub',
  requestSingleInstanceLock: () => true,
  enableSandbox: () => {
    state.sandboxEnabled = true;
  },
  whenReady: () => ready,
  quit: () => undefined,
  exit: (code = 0) => {
    state.exitCode = code;
  },
  relaunch: () => {
    state.relaunches += 1;
  },
});
state.app = app;

export class BrowserWindow extends Emitter {
  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  constructor(readonly options: Record<string, unknown>) {
    super();
    state.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
  }
  show(): void {}
  focus(): void {}
  restore(): void {}
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return false;
  }
}

export const ipcMain = {
  handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => state.ipcHandlers.set(channel, handler),
  on: () => undefined,
};

export const protocol = {
  registerSchemesAsPrivileged: (schemes: unknown[]) => state.schemes.push(...schemes),
  handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => state.protocolHandlers.set(scheme, handler),
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: StubState['permissionRequest']) => {
      state.permissionRequest = handler;
    },
    setPermissionCheckHandler: (handler: StubState['permissionCheck']) => {
      state.permissionCheck = handler;
    },
    setDevicePermissionHandler: (handler: StubState['devicePermission']) => {
      state.devicePermission = handler;
    },
  },
};

export const Menu = {
  setApplicationMenu: (menu: unknown) => {
    state.menu = menu;
  },
};

export const powerSaveBlocker = {
  start: (type: string) => state.powerSaveBlockers.push(type),
};

export const shell = {};

/** A keychain stand-in: reversible, and visibly not the plain text, so tests can tell sealed from plain. */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (plain: string) => Buffer.from(`stub-sealed:${[...plain].reverse().join('')}`, 'utf8'),
  decryptString: (sealed: Buffer) => {
    const text = sealed.toString('utf8');
    if (!text.startsWith('stub-sealed:')) throw new Error('not sealed by this keychain');
    return [...text.slice('stub-sealed:'.length)].reverse().join('');
  },
};

/** The renderer side, for the preload: what it exposed and the IPC it speaks. */
export interface PreloadStubState {
  exposed: Map<string, unknown>;
  invoke: (channel: string, ...args: unknown[]) => Promise<unknown>;
  listeners: Map<string, Array<(event: unknown, ...args: unknown[]) => void>>;
}

const preloadState: PreloadStubState = {
  exposed: new Map(),
  invoke: async () => {
    throw new Error('no invoke handler set by the test');
  },
  listeners: new Map(),
};
(globalThis as { __preloadStub?: PreloadStubState }).__preloadStub = preloadState;

export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => preloadState.exposed.set(key, api),
};

export const ipcRenderer = {
  invoke: (channel: string, ...args: unknown[]) => preloadState.invoke(channel, ...args),
  on: (channel: string, listener: (event: unknown, ...args: unknown[]) => void) => {
    preloadState.listeners.set(channel, [...(preloadState.listeners.get(channel) ?? []), listener]);
  },
};

export default { app, BrowserWindow, ipcMain, protocol, session, Menu, powerSaveBlocker, shell, safeStorage, contextBridge, ipcRenderer };
