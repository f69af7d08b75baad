/**
 * A short two-tone chime for a recorded check-in, made with Web Audio so no asset or script is
 * loaded. Kiosks without audio (or a browser refusing to start it) simply stay silent.
 */
export function playChime(): void {
  try {
    const AudioContextType = globalThis.AudioContext as typeof AudioContext | undefined;
    if (!AudioContextType) return;
    const context = new AudioContextType();
    const start = context.currentTime;
    for (const [i, frequency] of [880, 1320].entries()) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, start + i * 0.15);
      gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.15 + 0.3);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + i * 0.15);
      oscillator.stop(start + i * 0.15 + 0.3);
    }
    setTimeout(() => void context.close().catch(() => undefined), 1000);
  } catch {
    // No sound is better than a sign-in screen that fails.
  }
}
