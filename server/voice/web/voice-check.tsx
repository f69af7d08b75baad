import { useRef, useState, type FormEvent } from 'react';
import { announcementText, checkVoiceSettings, defaultVoiceSettings, spokenText, windowNumberWords } from '../../../core/voice/announcement.ts';
import type { EngineName } from '../../../core/voice/announcer.ts';
import { useWebText } from '../../web/i18n.ts';
import { createSpeaker, type Speaker } from '../../web/voice/speaker.ts';
import type { zh } from './voice-text.ts';

type Choice = EngineName | 'auto';
interface LogLine {
  id: number;
  text: string;
  outcome: 'playing' | 'played' | 'failed';
  engine?: EngineName;
  error?: string;
}

/**
 * 语音试听: a hall's technician plays a call on a display's PC to hear which voice it has and
 * whether the hall's own recordings are picked up; each announcement is logged when it has ended.
 */
export function VoiceCheck() {
  const { t } = useWebText<typeof zh>();
  const [ticket, setTicket] = useState('A001');
  const [windowNumber, setWindowNumber] = useState('3');
  const [choice, setChoice] = useState<Choice>(() => (new URLSearchParams(window.location.search).get('engine') as Choice | null) ?? 'auto');
  const [log, setLog] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const speakers = useRef(new Map<Choice, Speaker>());
  const nextId = useRef(1);

  // Made on the first press: a browser lets a page's audio start only after a gesture.
  const speaker = (which: Choice): Speaker => {
    let made = speakers.current.get(which);
    if (!made) {
      made = createSpeaker({ prefer: which, settings: checkVoiceSettings(defaultVoiceSettings) });
      speakers.current.set(which, made);
    }
    return made;
  };

  const play = (event: FormEvent) => {
    event.preventDefault();
    const announcement = { callId: `check-${nextId.current}`, ticketLabel: ticket.trim().toUpperCase(), windowNumber: Number(windowNumber), recall: false };
    try {
      windowNumberWords(announcement.windowNumber);
      spokenText(announcement);
    } catch (problem) {
      setError((problem as Error).message);
      return;
    }
    setError(null);
    const id = nextId.current++;
    const text = announcementText(announcement);
    const chosen = speaker(choice);
    const engine = chosen.engine();
    setLog((lines) => [...lines, { id, text, outcome: 'playing', engine }]);
    const settle = (line: Partial<LogLine>) => setLog((lines) => lines.map((l) => (l.id === id ? { ...l, ...line } : l)));
    chosen.speak(announcement).then(
      () => settle({ outcome: 'played' }),
      (problem: unknown) => settle({ outcome: 'failed', error: (problem as Error).message }),
    );
  };

  const engineName = (engine: EngineName | undefined) => t(`engine.${engine ?? 'clips'}`);

  return (
    <main className="voice-check">
      <h1>{t('title')}</h1>
      <p>{t('intro')}</p>
      <form onSubmit={play} className="voice-check-form">
        <label>
          {t('ticket')}
          <input data-testid="voice-ticket" value={ticket} onChange={(e) => setTicket(e.target.value)} maxLength={12} />
        </label>
        <label>
          {t('window')}
          <input data-testid="voice-window" value={windowNumber} onChange={(e) => setWindowNumber(e.target.value)} inputMode="numeric" maxLength={3} />
        </label>
        <label>
          {t('engine.label')}
          <select data-testid="voice-engine" value={choice} onChange={(e) => setChoice(e.target.value as Choice)}>
            <option value="auto">{t('engine.auto')}</option>
            <option value="clips">{t('engine.clips')}</option>
          </select>
        </label>
        <button type="submit" className="primary" data-testid="voice-play">
          {t('play')}
        </button>
      </form>
      {error && (
        <p role="alert" className="voice-check-error">
          {t('invalid', { error })}
        </p>
      )}
      <h2>{t('log')}</h2>
      <ol data-testid="voice-log">
        {log.map((line) => (
          <li key={line.id} data-outcome={line.outcome} data-engine={line.engine}>
            {line.outcome === 'failed' ? t('failed', { text: line.text, error: line.error ?? '' }) : line.outcome === 'played' ? t('played', { text: line.text, engine: engineName(line.engine) }) : line.text}
          </li>
        ))}
      </ol>
    </main>
  );
}
