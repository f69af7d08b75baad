export const hostTokenStorageKey = 'hall-kiosk.api-token';

export interface HostTokenPlace {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  history: Pick<History, 'replaceState' | 'state'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
}

/**
 * The host process hands the API token once, in the URL fragment (never sent to a server or
 * kept in logs). Keep it for reloads of this tab only and take it out of the address at once,
 * so it does not linger in history or get shown on screen.
 */
export function takeHostToken({ location, history, storage }: HostTokenPlace): string | null {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    storage.setItem(hostTokenStorageKey, fromUrl);
    fragment.delete('token');
    const rest = fragment.toString();
    history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
    return fromUrl;
  }
  return storage.getItem(hostTokenStorageKey);
}
