/**
 * One announcement at a time, in the order asked, never cut off by the next: each `speak()` waits
 * for the one before it to finish. The engine is chosen again for each announcement, since a
 * platform's speech voices arrive late and may go: the platform's own Chinese voice when it has
 * one on the machine, else the clip voice.
 */
import { announcementSteps, defaultVoiceSettings, spokenText, type Announcement, type VoiceSettings, type VoiceStep } from './announcement.ts';

/** The platform's speech (speechSynthesis in a browser), reduced to what announcing needs. */
export interface SpeechEngine {
  /** whether a Chinese voice on this machine (not a network voice) is there now */
  available(): boolean;
  /** says `text` once and resolves when it has been said */
  say(text: string): Promise<void>;
}

/** The clip voice (core/voice/clip-player.ts). */
export interface ClipEngine {
  play(steps: readonly VoiceStep[]): Promise<void>;
}

export type EngineName = 'speech' | 'clips';

export interface AnnouncerOptions {
  speech: SpeechEngine | null;
  clips: ClipEngine;
  settings?: VoiceSettings;
  /** 'clips' forces the clip voice, e.g. for a hall that recorded its own */
  prefer?: EngineName | 'auto';
  /** told of each announcement as it ends, with the engine that said it or the error it met */
  played?(announcement: Announcement, outcome: { engine: EngineName } | { engine: EngineName; error: Error }): void;
}

export class Announcer {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly options: AnnouncerOptions) {}

  /** The engine the next announcement would use. */
  engine(): EngineName {
    const { speech, prefer = 'auto' } = this.options;
    if (prefer === 'clips' || !speech) return 'clips';
    return speech.available() ? 'speech' : 'clips';
  }

  /** Resolves when this announcement has been said to the end; rejects when it could not be. */
  speak(announcement: Announcement): Promise<void> {
    const turn = this.tail.then(() => this.say(announcement));
    // The queue moves on after a failure too; the caller still hears of it from `turn`.
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async say(announcement: Announcement): Promise<void> {
    const settings = this.options.settings ?? defaultVoiceSettings;
    const engine = this.engine();
    try {
      if (engine === 'speech') {
        const speech = this.options.speech!;
        // The chime is a clip whatever speaks the words.
        if (settings.chime) await this.options.clips.play([{ kind: 'clip', clip: 'chime' }]).catch(() => undefined);
        const text = spokenText(announcement, settings);
        for (let i = 0; i < settings.repeats; i++) await speech.say(text);
      } else {
        await this.options.clips.play(announcementSteps(announcement, settings));
      }
      this.options.played?.(announcement, { engine });
    } catch (error) {
      this.options.played?.(announcement, { engine, error: error as Error });
      throw error;
    }
  }
}
