/**
 * The kiosk's clock may be minutes off and may be corrected while it runs. Each exchange with
 * the server measures the offset (server minus device), assuming the server stamped its time
 * half-way through the round trip; the smallest round trip gives the best estimate.
 */
export interface ClockSample {
  /** device clock when the request was sent */
  sentAt: number;
  /** device clock when the response arrived */
  receivedAt: number;
  /** the server's `serverTime` in that response */
  serverTime: number;
}

export function clockOffsetOf(sample: ClockSample): number {
  return Math.round(sample.serverTime - (sample.sentAt + sample.receivedAt) / 2);
}

/** A device time moved onto the server's clock. */
export function correctedTime(deviceTime: number, clockOffsetMs: number): number {
  return deviceTime + clockOffsetMs;
}
