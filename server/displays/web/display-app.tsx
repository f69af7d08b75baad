import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { DisplayState } from '../../../core/display/display.ts';
import { announcementOf, shouldAnnounce } from '../../../core/display/display.ts';
import { hallApi } from '../../../core/http/contract.ts';
import { pathOf } from '../../../core/http/route-contract.ts';
import type { HallEvent } from '../../../core/queue/hall-events.ts';
import { HallClient } from '../../web/hall-client.ts';
import { openHallEventStream } from '../../web/hall-event-stream.ts';
import type { StreamState } from '../../web/hall-event-stream.ts';
import type { AnnouncedRecord, Speak } from './announcement-queue.ts';
import { AnnouncementQueue } from './announcement-queue.ts';
import { applyDisplayEvent, needsReload } from './display-model.ts';
import { EnrolForm } from './enrol-form.tsx';
import { HallScreen } from './hall-screen.tsx';
import { WindowScreen } from './window-screen.tsx';

declare global {
  interface Window {
    /** what this screen has announced, oldest first: read by the e2e tests and by a technician's console */
    hallDisplayAnnounced?: readonly AnnouncedRecord[];
  }
}

/** Where the screen remembers the calls it announced, so a reload does not say them again. */
const announcedKey = 'hall-display.announced';

function announcedBefore(): string[] {
  try {
    const ids: unknown = JSON.parse(window.localStorage.getItem(announcedKey) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function rememberAnnounced(record: readonly AnnouncedRecord[]): void {
  try {
    window.localStorage.setItem(announcedKey, JSON.stringify([...announcedBefore(), ...record.map((r) => r.callId)].slice(-100)));
  } catch {
    // A browser without storage repeats a few calls after a reload, no worse.
  }
}

/** Events kept to re-apply over a state read while they arrived. */
const keptEvents = 200;

type Phase = { kind: 'loading' } | { kind: 'enrol' } | { kind: 'live'; state: DisplayState };

/**
 * A hall screen: enrolment once (the token stays in an HttpOnly cookie the page never sees),
 * then the state, moved on by the zone's event stream; calls announced in order through `speak`.
 */
export function DisplayApp({ speak }: { speak: Speak }) {
  const client = useMemo(() => new HallClient(), []);
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [stream, setStream] = useState<StreamState>('connecting');
  const [announced, setAnnounced] = useState<readonly AnnouncedRecord[]>([]);
  const [speaking, setSpeaking] = useState<string | null>(null);
  const offset = useRef(0);
  const events = useRef<HallEvent[]>([]);
  const queue = useMemo(
    () =>
      new AnnouncementQueue(
        speak,
        (record, current) => {
          window.hallDisplayAnnounced = [...record];
          if (current === null) rememberAnnounced(record.slice(-1));
          setAnnounced([...record]);
          setSpeaking(current?.callId ?? null);
        },
        announcedBefore(),
      ),
    [speak],
  );
  const serverNow = () => Date.now() + offset.current;

  const load = useCallback(async () => {
    const answer = await client.call(hallApi.displayState);
    if (!answer.ok) {
      if (!answer.unreachable && answer.refusal.status === 401) setPhase({ kind: 'enrol' });
      return null;
    }
    if (answer.serverTime !== null) offset.current = answer.serverTime - Date.now();
    let state = answer.value;
    for (const event of events.current) if (event.id > state.lastEventId) state = applyDisplayEvent(state, event);
    for (const call of answer.value.recentCalls) if (call.kind === 'call' && shouldAnnounce(call, serverNow())) queue.enqueue(announcementOf(call));
    setPhase({ kind: 'live', state });
    return state;
  }, [client, queue]);

  useEffect(() => {
    void load();
  }, [load]);

  const liveState = phase.kind === 'live' ? phase.state : null;
  const startId = useRef<number | null>(null);
  if (liveState && startId.current === null) startId.current = liveState.lastEventId;
  const started = liveState !== null;

  useEffect(() => {
    if (!started || startId.current === null) return undefined;
    let first = true;
    const handle = openHallEventStream({
      token: () => null,
      // The first connection carries on from the state just read; later ones send Last-Event-ID.
      path: pathOf(hallApi.displayEvents, { query: { lastEventId: String(startId.current) } }),
      onEvent(event) {
        events.current = [...events.current, event].slice(-keptEvents);
        if (event.kind === 'call' && shouldAnnounce(event, serverNow())) queue.enqueue(announcementOf(event));
        setPhase((p) => {
          if (p.kind !== 'live') return p;
          if (needsReload(p.state, event)) void load();
          return { kind: 'live', state: applyDisplayEvent(p.state, event) };
        });
      },
      onReset: () => void load(),
      onUnauthorized: () => setPhase({ kind: 'enrol' }),
      onState(next) {
        setStream(next);
        // What changed while away that the replay does not redraw (names, a new day): read again.
        if (next === 'open' && !first) void load();
        if (next === 'open') first = false;
      },
    });
    return () => handle.close();
  }, [started, load, queue]);

  if (phase.kind === 'loading') return <div className="display-loading">正在载入… Loading…</div>;
  if (phase.kind === 'enrol') return <EnrolForm client={client} onEnrolled={() => void load()} />;
  const { state } = phase;
  const common = { state, online: stream !== 'down', serverNow, speaking };
  return (
    <div className="display-root" data-testid="display" data-kind={state.display.kind} data-online={String(stream === 'open')} data-announced={announced.map((a) => a.callId).join(',')}>
      {state.display.kind === 'hall' ? <HallScreen {...common} /> : <WindowScreen {...common} />}
    </div>
  );
}
