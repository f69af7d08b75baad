/**
 * Seals secrets before they go into the config file. Electron passes one backed by safeStorage
 * (the OS keychain); host mode has no keychain and stores them as they are, protected only by the
 * file's 0600 mode. Each sealed value records which box sealed it, so a config shared by both
 * shells is never decrypted with the wrong key.
 */
export interface SecretBox {
  readonly kind: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export const plainSecretBox: SecretBox = {
  kind: 'plain',
  encrypt: (plain) => plain,
  decrypt: (sealed) => sealed,
};
