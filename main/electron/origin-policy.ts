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
