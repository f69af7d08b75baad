import { useEffect, useMemo, useState } from 'react';
import { hallApi } from '../../../core/http/contract.ts';
import { pathOf } from '../../../core/http/route-contract.ts';
import type { LiveTicketView } from '../../../core/queue/live-ticket-view.ts';
import { liveTicketEventName, liveTicketViewSchema } from '../../../core/queue/live-ticket-view.ts';
import { HallClient } from '../../web/hall-client.ts';
import { htmlLang, useWebText } from '../../web/i18n.ts';
import type { StatusLine } from './live-model.ts';
import { statusLines } from './live-model.ts';
import type { LiveText } from './live-text.ts';

type Phase = { state: 'loading' } | { state: 'not-found' } | { state: 'shown'; view: LiveTicketView };

/** How long to wait before asking again when the first read found no server. */
const retryMs = 5_000;

/**
 * The live ticket (/t/<token>): read once, then kept up to date by the ticket's own event stream
 * (EventSource: it reconnects by itself, and the stream sends the whole view each time, so a
 * reconnect needs no replay). A token that opens nothing gets a page saying so.
 */
export function LiveTicketApp({ token }: { token: string | null }) {
  const { t, language, setLanguage } = useWebText<LiveText>();
  const [phase, setPhase] = useState<Phase>(token ? { state: 'loading' } : { state: 'not-found' });
  const [online, setOnline] = useState(true);
  const client = useMemo(() => new HallClient(), []);

  useEffect(() => {
    if (!token) return undefined;
    let stopped = false;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    const show = (view: LiveTicketView) => {
      setPhase({ state: 'shown', view });
      setOnline(true);
    };
    const follow = () => {
      source = new EventSource(pathOf(hallApi.liveTicketEvents, { params: { token } }));
      source.addEventListener(liveTicketEventName, (event) => {
        const parsed = liveTicketViewSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
        if (parsed.success) show(parsed.data);
        if (parsed.success && parsed.data.past) source?.close();
      });
      source.addEventListener('open', () => setOnline(true));
      source.addEventListener('error', () => setOnline(false));
    };
    const read = async () => {
      const answer = await client.call(hallApi.liveTicket, { params: { token } });
      if (stopped) return;
      if (answer.ok) {
        show(answer.value);
        if (!answer.value.past) follow();
      } else if (!answer.unreachable) {
        setPhase({ state: 'not-found' });
      } else {
        setOnline(false);
        retry = setTimeout(() => void read(), retryMs);
      }
    };
    void read();
    return () => {
      stopped = true;
      source?.close();
      if (retry) clearTimeout(retry);
    };
  }, [client, token]);

  // The ticket's language, the citizen's at the kiosk; the button lets them change it here.
  const ticketLanguage = phase.state === 'shown' ? phase.view.language : null;
  useEffect(() => {
    if (ticketLanguage) setLanguage(ticketLanguage);
  }, [ticketLanguage, setLanguage]);
  useEffect(() => {
    document.documentElement.lang = htmlLang(language);
    document.title = t('title');
  }, [language, t]);

  const line = (l: StatusLine, i: number) => (
    <p key={i} className={l.strong ? 'live-line live-line-strong' : 'live-line'}>
      {'words' in l ? l.words : t(l.key, l.values)}
    </p>
  );

  return (
    <main className="live" data-testid="live-ticket" data-state={phase.state === 'shown' ? phase.view.status : phase.state}>
      <header className="live-header">
        <h1>{t('title')}</h1>
        <button type="button" className="live-language" onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
          {t('language')}
        </button>
      </header>
      {!online && (
        <p className="hall-banner" role="alert" data-testid="live-offline">
          {t('offline')}
        </p>
      )}
      {phase.state === 'loading' && <p className="live-line">{t('loading')}</p>}
      {phase.state === 'not-found' && (
        <section className="live-card live-over" data-testid="live-not-found">
          <p className="live-line live-line-strong">{t('notFound.heading')}</p>
          <p className="live-line">{t('notFound.hint')}</p>
        </section>
      )}
      {phase.state === 'shown' && <TicketCard view={phase.view} line={line} />}
      <footer className="live-footer">{t('privacy')}</footer>
    </main>
  );
}

function TicketCard({ view, line }: { view: LiveTicketView; line: (l: StatusLine, i: number) => React.ReactNode }) {
  const { t, language } = useWebText<LiveText>();
  const { tone, lines } = statusLines(view);
  const time = new Date(view.asOf).toLocaleTimeString(language === 'en' ? 'en-GB' : 'zh-CN', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (
    <>
      <section className="live-card">
        <p className="live-caption">{t('number')}</p>
        <p className="live-label" data-testid="live-label">
          {view.label}
        </p>
        <p className="live-caption">{t('service')}</p>
        <p className="live-service" data-testid="live-service">
          {view.service[language]}
        </p>
      </section>
      <section className={`live-card live-${tone}`} data-testid="live-status" aria-live="polite">
        {lines.map(line)}
      </section>
      {!view.past && <p className="live-updated">{t('live', { time })}</p>}
    </>
  );
}
