import { useEffect, useState } from 'react';
import type { StaffMember } from '../../../core/attendance/roster.ts';
import type { StaffTouch } from '../../../core/attendance/staff-api.ts';
import type { LocalizedText } from '../../../core/text/localized.ts';
import type { CheckinOutcome } from '../../attendance/checkin-book.ts';
import { watchFingers } from '../../attendance/finger-watch.ts';
import { readinessTexts, watchReaderReadiness, type ReaderReadiness } from '../../attendance/reader-readiness.ts';
import { hallMinuteText } from '../../hall-time.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { playChime } from './chime.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { DemoFingerButtons } from '../maintenance/staff-fingerprint-panel.tsx';
import { reportReaderActivity } from '../../hooks/use-idle-timeout.ts';
import { useOpenSpotCheck } from '../../hooks/use-open-spot-check.ts';

/** How long a result stays up before the screen waits for the next finger. */
const resultShownMs = 4_000;

type View =
  | { state: 'waiting' }
  | { state: 'done'; result: CheckinOutcome }
  | { state: 'refused'; text: LocalizedText };

const texts = {
  place: { zh: '请将手指放在指纹仪上', en: 'Place your finger on the reader' },
  spotCheckOpen: { zh: '正在进行工作人员抽查，请按指纹应答', en: 'A staff spot check is under way: press your finger to answer' },
  unknown: { zh: '未能识别，请重试或联系管理员', en: 'Not recognised. Try again or ask an administrator' },
  noReader: { zh: '指纹仪不可用，请联系管理员', en: 'The fingerprint reader is unavailable; ask an administrator' },
  notSaved: { zh: '签到未能保存，请重按一次或联系管理员', en: 'The sign-in could not be saved. Press again or ask an administrator' },
  'sign-in': { zh: '签到成功', en: 'Signed in' },
  'sign-out': { zh: '签退成功', en: 'Signed out' },
  'spot-check': { zh: '抽查签到成功', en: 'Spot check recorded' },
  repeat: { zh: '已记录，无需重复按压', en: 'Already recorded; no need to press again' },
} satisfies Record<string, LocalizedText>;

/**
 * 工作人员签到: the privileged side identifies a finger and says who it is; this screen records
 * the check-in and shows who and when. `firstTouch` is a finger the home screen already heard:
 * it is recorded and shown at once.
 */
export function CheckinScreen({ firstTouch }: { firstTouch?: StaffTouch }) {
  const local = useLocalized();
  const { kiosk, checkins, catalog, config, sync } = useKioskServices();
  const [view, setView] = useState<View>({ state: 'waiting' });
  const spotCheck = useOpenSpotCheck(checkins);
  // A demo kiosk's simulated reader needs a "finger": the demonstrator presses one here.
  const [demoRoster, setDemoRoster] = useState<StaffMember[] | null>(null);
  // An unplugged reader hears no finger: asking for one would leave staff pressing in vain.
  const [readiness, setReadiness] = useState<ReaderReadiness>('unknown');
  useEffect(() => watchReaderReadiness(kiosk, setReadiness), [kiosk]);

  useEffect(() => {
    if (!checkins) return;
    void (async () => {
      const status = await kiosk.reader.status().catch(() => null);
      if (status?.simulated) setDemoRoster(await kiosk.staff.roster().then((r) => r.members).catch(() => null));
    })();
  }, [kiosk, checkins]);

  useEffect(() => {
    if (!checkins) {
      setView({ state: 'refused', text: texts.noReader });
      return;
    }
    let live = true;
    let clearTimer: ReturnType<typeof setTimeout> | undefined;
    // The reader keeps listening while a result is up, so the next person need not wait; the
    // result goes back to the prompt by itself after a while.
    let shownCheckinId: string | null = null;
    const show = (next: View) => {
      setView(next);
      clearTimeout(clearTimer);
      clearTimer = setTimeout(() => {
        shownCheckinId = null;
        if (live) setView({ state: 'waiting' });
      }, resultShownMs);
    };
    /** Records and shows one answer of the reader (never a timeout: the watch keeps those). */
    const answer = async (found: StaffTouch): Promise<void> => {
      if (!found.ok) {
        shownCheckinId = null;
        show({ state: 'refused', text: found.kind === 'not-recognised' ? texts.unknown : found.kind === 'reader-unavailable' ? texts.noReader : found.text });
        return;
      }
      // Marks for `npm run bench fingerprint`, which splits the time after the module's answer.
      performance.mark('checkin:identified');
      const result = await checkins.checkIn(found.staff);
      performance.mark('checkin:recorded');
      if (!live) return;
      if (result.checkin.id !== shownCheckinId) {
        // The finger still resting after its own check-in is not news: keep "签到成功" up.
        shownCheckinId = result.checkin.id;
        show({ state: 'done', result });
      }
    };
    // One answer at a time, in the order the reader gave them: a check-in decides sign-in or
    // sign-out from the ones before it.
    let answered = Promise.resolve();
    const queue = (found: StaffTouch) => {
      // Staff signing in one after another by finger are using the kiosk: it stays on this screen.
      reportReaderActivity();
      answered = answered.then(() => (live ? answer(found) : undefined)).catch(() => show({ state: 'refused', text: texts.notSaved }));
    };
    if (firstTouch) queue(firstTouch);
    const stopWatching = watchFingers(kiosk, queue);
    return () => {
      live = false;
      clearTimeout(clearTimer);
      stopWatching();
    };
  }, [kiosk, checkins, firstTouch]);

  // After the screen has shown the name, so neither holds it back: the chime, and the record sent
  // to the server now rather than at the next round (the supervisor's view of who is at which
  // window is live).
  const recordedId = view.state === 'done' && view.result.outcome === 'recorded' ? view.result.checkin.id : null;
  useEffect(() => {
    if (!recordedId) return;
    playChime();
    sync.kick();
  }, [recordedId, sync]);

  // While the reader is unplugged its own refusals (指纹仪不可用) only repeat the cause less usefully:
  // the disconnected notice, with what to do, takes their place.
  const disconnected = readiness === 'disconnected' && view.state !== 'done';

  return (
    <section className="screen screen-checkin" data-testid="checkin">
      <h1>{local({ zh: '工作人员签到', en: 'Staff sign-in' })}</h1>
      {spotCheck && (
        <p className="message spot-check-banner" role="status" data-testid="spot-check-banner">
          {local(texts.spotCheckOpen)}
        </p>
      )}
      {disconnected && (
        <div className="message message-bad" role="alert" data-testid="checkin-reader-disconnected">
          <p>{local(readinessTexts.disconnected)}</p>
          <p>{local(readinessTexts.whatToDo)}</p>
        </div>
      )}
      {view.state === 'waiting' && !disconnected && (
        <p className="message" data-testid="checkin-prompt">
          {local(texts.place)}
        </p>
      )}
      {view.state === 'refused' && !disconnected && (
        <p className="message message-bad" role="alert" data-testid="checkin-refused">
          {local(view.text)}
        </p>
      )}
      {view.state === 'done' && (
        <div className="checkin-result" data-testid="checkin-result">
          <p className="checkin-kind">{local(view.result.outcome === 'repeat' ? texts.repeat : view.result.checkin.spotCheckId ? texts['spot-check'] : texts[view.result.checkin.kind])}</p>
          <p className="checkin-name" data-testid="checkin-name">
            {view.result.member.name}
          </p>
          <p className="checkin-where">
            {[view.result.member.counter, local(catalog.departments.find((d) => d.id === view.result.member.departmentId)?.name ?? { zh: view.result.member.departmentId, en: view.result.member.departmentId })]
              .filter(Boolean)
              .join(' · ')}
          </p>
          <p className="checkin-time" data-testid="checkin-time">
            {hallMinuteText(view.result.checkin.at, config.hall.timeZone)}
          </p>
        </div>
      )}
      {demoRoster && <DemoFingerButtons roster={demoRoster} />}
    </section>
  );
}
