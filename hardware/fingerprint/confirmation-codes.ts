import type { LocalizedText } from '../../core/text/localized.ts';

/**
 * Every confirmation code the driver acts on, with what staff are told. The wording is for the
 * person at the reader (what to do next), not for the log.
 */
export const confirmationCodes = {
  0x00: { kind: 'ok', zh: '成功', en: 'OK' },
  0x01: { kind: 'packet-error', zh: '指纹仪收包出错，请重试', en: 'The reader could not read the command packet; try again' },
  0x02: { kind: 'no-finger', zh: '请将手指放在指纹仪上', en: 'No finger on the reader: place your finger on it' },
  0x03: { kind: 'image-failed', zh: '指纹图像录入失败，请重新按压', en: 'Could not take the fingerprint image; press again' },
  0x06: { kind: 'image-disorderly', zh: '指纹图像太乱，请擦净手指和指纹仪后重新按压', en: 'Fingerprint image too smudged; wipe finger and reader, then press again' },
  0x07: { kind: 'too-few-features', zh: '指纹特征点太少，请将手指平放并稍用力按压', en: 'Too few fingerprint features; lay the finger flat and press a little harder' },
  0x08: { kind: 'no-match', zh: '两枚指纹不匹配', en: 'The fingerprints do not match' },
  0x09: { kind: 'not-found', zh: '未找到该指纹，请重试或联系管理员登记', en: 'Fingerprint not recognised; try again or ask an administrator to enrol you' },
  0x0a: { kind: 'merge-failed', zh: '两次按压的指纹不一致，请重新录入同一手指', en: 'The two presses do not match; enrol the same finger again' },
  0x0b: { kind: 'bad-page', zh: '指纹库编号超出范围', en: 'Template slot number is out of range' },
  0x0c: { kind: 'read-failed', zh: '读取指纹模板出错或模板无效', en: 'Could not read the template, or it is invalid' },
  0x0e: { kind: 'cannot-receive', zh: '指纹仪无法接收后续数据包', en: 'The reader cannot receive the following data packets' },
  0x10: { kind: 'delete-failed', zh: '删除指纹模板失败', en: 'Could not delete the template' },
  0x11: { kind: 'empty-failed', zh: '清空指纹库失败', en: 'Could not clear the template library' },
  0x13: { kind: 'wrong-password', zh: '指纹仪口令错误，请检查设置', en: 'Wrong reader password; check the reader settings' },
  0x15: { kind: 'no-image', zh: '没有有效的指纹图像，请重新按压', en: 'No valid fingerprint image; press again' },
  0x18: { kind: 'flash-error', zh: '指纹仪存储写入出错', en: 'The reader failed to write its flash memory' },
  0x21: { kind: 'password-required', zh: '须先验证指纹仪口令', en: 'The reader password must be verified first' },
} as const satisfies Record<number, { kind: string } & LocalizedText>;

type Table = typeof confirmationCodes;
export type ConfirmationCode = keyof Table;
export type ConfirmationKind = Table[ConfirmationCode]['kind'] | 'unknown-code';

const byCode: ReadonlyMap<number, Table[ConfirmationCode]> = new Map(
  Object.entries(confirmationCodes).map(([code, entry]) => [Number(code), entry]),
);

export function describeConfirmation(code: number): { kind: ConfirmationKind } & LocalizedText {
  const known = byCode.get(code);
  if (known) return known;
  const hex = `0x${code.toString(16).padStart(2, '0')}`;
  return { kind: 'unknown-code', zh: `指纹仪返回未知错误码 ${hex}`, en: `The reader answered with unknown code ${hex}` };
}

export const confirmationCodeOf = (kind: Exclude<ConfirmationKind, 'unknown-code'>): number =>
  [...byCode].find(([, entry]) => entry.kind === kind)![0];
