/**
 * 长辈模式 (适老化), the parts that are plain rules. The MIIT 适老化 design specs (2021) ask of an
 * elder interface at least 18 pt main text, 1.3 line spacing, 4.5:1 text contrast and 60 × 60
 * touch targets; read standing at arm's length on a 1080 × 1920 screen, the kiosk's elder mode
 * goes well past each (see elder-mode.css), and gives a slow reader more time before it resets.
 */

/** How many times longer an untouched kiosk waits in elder mode before it starts over. */
export const elderIdleFactor = 3;

/** How long before an idle kiosk starts over it warns, with a countdown and 继续. */
export function idleWarningMs(elder: boolean): number {
  return 10_000 * (elder ? elderIdleFactor : 1);
}

/** The idle timeout in force: the hall's setting, stretched in elder mode. */
export function idleTimeoutMs(idleTimeoutSeconds: number, elder: boolean): number {
  return idleTimeoutSeconds * 1000 * (elder ? elderIdleFactor : 1);
}
