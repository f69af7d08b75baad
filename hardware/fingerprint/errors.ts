import type { LocalizedText } from '../../core/text/localized.ts';
import { describeConfirmation } from './confirmation-codes.ts';
import type { ConfirmationKind } from './confirmation-codes.ts';
import { instructionNames } from './instructions.ts';

/** The module answered, and its answer was a failure code. */
export class FingerprintDeviceError extends Error {
  override readonly name = 'FingerprintDeviceError';
  readonly kind: ConfirmationKind;
  /** what to show staff, in both languages */
  readonly text: LocalizedText;

  constructor(
    readonly code: number,
    readonly instruction: number,
  ) {
    const { kind, zh, en } = describeConfirmation(code);
    super(`${instructionNames[instruction] ?? `instruction 0x${instruction.toString(16)}`}: ${en} (code 0x${code.toString(16).padStart(2, '0')})`);
    this.kind = kind;
    this.text = { zh, en };
  }
}

/**
 * Enrolment stopped before Store: the merged template matched a library page the caller did not
 * allow (another person's). The page is for the kiosk to look up its owner; nothing is logged here.
 */
export class FingerprintDuplicateError extends Error {
  override readonly name = 'FingerprintDuplicateError';
  readonly text: LocalizedText = { zh: '此指纹已登记为其他工作人员，不能重复登记', en: 'This fingerprint is already enrolled for another staff member' };

  constructor(readonly match: { page: number; score: number }) {
    super(`the finger is already in the library at page ${match.page}`);
  }
}

export type LinkErrorKind =
  /** the port cannot be opened: absent, unplugged, no permission, in use */
  | 'unreachable'
  /** the reader did not answer in time */
  | 'timeout'
  /** the reader is not connected now (lost, or never found) */
  | 'disconnected'
  /** the reader answered something the protocol does not allow here */
  | 'protocol'
  /** the driver was stopped while the command waited */
  | 'stopped'
  /** the caller's AbortSignal fired */
  | 'aborted';

const linkTexts: Record<LinkErrorKind, LocalizedText> = {
  unreachable: { zh: '找不到指纹仪，请检查连接线和端口设置', en: 'Fingerprint reader not found; check the cable and the port setting' },
  timeout: { zh: '指纹仪无响应', en: 'The fingerprint reader does not answer' },
  disconnected: { zh: '指纹仪未连接', en: 'The fingerprint reader is not connected' },
  protocol: { zh: '指纹仪通信出错，请重试', en: 'Communication with the fingerprint reader failed; try again' },
  stopped: { zh: '指纹仪已关闭', en: 'The fingerprint reader was closed' },
  aborted: { zh: '操作已取消', en: 'Cancelled' },
};

/** Nothing usable came back: the line, not the module, is the problem. */
export class FingerprintLinkError extends Error {
  override readonly name = 'FingerprintLinkError';
  readonly text: LocalizedText;

  constructor(
    readonly kind: LinkErrorKind,
    detail: string,
  ) {
    super(`${linkTexts[kind].en}: ${detail}`);
    this.text = linkTexts[kind];
  }
}

export type FingerprintError = FingerprintDeviceError | FingerprintLinkError;

/** 03, 06, 07 and 15 all mean the same to the person at the reader: press again. */
export const isPoorImage = (error: unknown): error is FingerprintDeviceError =>
  error instanceof FingerprintDeviceError && ['image-failed', 'image-disorderly', 'too-few-features', 'no-image'].includes(error.kind);
