import { ClipPlayer, type AudioOut } from '../../core/voice/clip-player.ts';
import { ticketNumberSteps } from '../../core/voice/announcement.ts';
import type { ClipId } from '../../core/voice/clips.ts';

/**
 * The clip voice on the kiosk, for machines with no Chinese speechSynthesis voice (every Linux
 * kiosk): the same clips and player as the hall's displays (core/voice/), bundled with the
 * renderer by scripts/build.mjs (./voice/<clip>.wav), so it speaks with the network down too.
 * It says what its clips can: the number of a ticket just taken (您的号码是 A001).
 */
export interface ClipVoice {
  /** resolves true when the clips are there and decode (checked once) */
  ready(): Promise<boolean>;
  /** says 您的号码是 and the number; stops nothing else, the prompts come one per screen */
  sayTicketNumber(label: string): Promise<void>;
}

export function bundledClipVoice(): ClipVoice | null {
  if (typeof window === 'undefined' || typeof AudioContext === 'undefined') return null;
  let player: ClipPlayer<AudioBuffer> | null = null;
  const make = () => {
    player ??= new ClipPlayer<AudioBuffer>({
      // Made on first use: a page's audio context wants a user's gesture first.
      audio: new AudioContext() as AudioOut<AudioBuffer>,
      async load(clip: ClipId) {
        const response = await fetch(new URL(`./voice/${clip}.wav`, window.location.href));
        if (!response.ok) throw new Error(`${response.status}`);
        return response.arrayBuffer();
      },
      after(ms, then) {
        const timer = setTimeout(then, ms);
        return () => clearTimeout(timer);
      },
    });
    return player;
  };
  let checked: Promise<boolean> | null = null;
  return {
    ready() {
      checked ??= make()
        .preload(['nindehaomashi'])
        .then(
          () => true,
          () => false,
        );
      return checked;
    },
    sayTicketNumber: (label) => make().play(ticketNumberSteps(label)),
  };
}
