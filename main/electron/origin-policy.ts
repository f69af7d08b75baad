/** The renderer's only origin under Electron: app://kiosk, a privileged standard scheme. */
export const appScheme = 'app';
export const appHost = 'kiosk';
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * Whether a URL belongs to the kiosk's own pages. The WHATWG origin of a custom scheme is the
 * opaque "null", so scheme and host are compared instead; credentials or a port would make a
 * look-alike (`app://kiosk@evil/`, `app://kiosk:1/`) and are refused. Chromium lowercases the
 * host of a standard scheme, Node's parser does not, hence the case-folding.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (typeof url !== 'string' || url === '') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return parsed.protocol === `${appScheme}:` && parsed.hostname.toLowerCase() === appHost && parsed.port === '' && parsed.username === '' && parsed.password === '';
}

/** The parts of an IPC event (Electron's IpcMainInvokeEvent) that say which frame called. */
export interface IpcSender {
  sender?: { mainFrame?: unknown } | null;
  senderFrame?: { url?: string; parent?: unknown } | null;
}

/**
 * Whether an IPC call comes from the kiosk page itself: the top frame of its web contents, on the
 * app origin. An iframe on app://kiosk (a guide's embedded page, say) shares the origin but not
 * the trust, so a subframe is refused even when its URL is ours.
 */
export function isKioskMainFrame(event: IpcSender): boolean {
  const frame = event.senderFrame;
  if (!frame || !isAppUrl(frame.url)) return false;
  return frame.parent === null && event.sender?.mainFrame === frame;
}
