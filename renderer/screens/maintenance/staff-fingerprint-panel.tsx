import { useCallback, useEffect, useState } from 'react';
import type { StaffMember } from '../../../core/attendance/roster.ts';
import type { LocalizedText } from '../../../core/text/localized.ts';
import type { ReaderStatusReport } from '../../../core/attendance/fingerprint-reader-api.ts';
import { enrolStaffFinger, replaceQuestion } from '../../attendance/enrolment.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';
import { ReaderPortPanel } from './reader-port-panel.tsx';

/** Right index finger: the one hall staff are enrolled with unless they ask otherwise. */
const defaultFinger = 1;

/** A demo finger per roster member: stable, so the same button is the same finger on every kiosk. */
export const demoFingerOf = (staffId: string) => `staff-${staffId.replace(/[^A-Za-z0-9_-]/g, '_')}`.slice(0, 64);

/**
 * Fingerprint enrolment (指纹录入) on the staff screen, reached only after the admin PIN: pick a
 * roster member, follow the prompts, and the template goes to the hall server. On a demo kiosk
 * (simulated reader) each member also gets a "模拟按指纹" button, plus one for an unknown finger.
 */
export function StaffFingerprintPanel() {
  const local = useLocalized();
  const { kiosk } = useKioskServices();
  const [roster, setRoster] = useState<StaffMember[]>([]);
  const [reader, setReader] = useState<ReaderStatusReport | null>(null);
  const [enrolling, setEnrolling] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: LocalizedText; error: boolean } | null>(null);
  /** 该手指已登记: the enrolment waits on this answer before anything is overwritten */
  const [replacing, setReplacing] = useState<{ name: string; answer: (yes: boolean) => void } | null>(null);

  const reload = useCallback(async () => {
    try {
      setRoster((await kiosk.staff.roster()).members);
    } catch (error) {
      console.error('reading the staff roster failed', error);
      setMessage({ text: { zh: '无法读取工作人员名单', en: 'Could not read the staff roster' }, error: true });
    }
    setReader(await kiosk.reader.status().catch(() => null));
  }, [kiosk]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const enrol = async (member: StaffMember) => {
    if (enrolling) return;
    setEnrolling(member.id);
    setMessage(null);
    try {
      const confirmReplace = () =>
        new Promise<boolean>((resolve) =>
          setReplacing({
            name: member.name,
            answer: (yes) => {
              setReplacing(null);
              resolve(yes);
            },
          }),
        );
      const outcome = await enrolStaffFinger(
        kiosk,
        { staffId: member.id, finger: defaultFinger },
        (progress) => setMessage({ text: progress.text, error: progress.step === 'retry' }),
        confirmReplace,
      );
      if (outcome.ok) {
        const done = outcome.replaced ? { zh: `${member.name} 指纹已重新登记`, en: `${member.name}: fingerprint enrolled again` } : { zh: `${member.name} 指纹录入成功`, en: `${member.name}: fingerprint enrolled` };
        setMessage({ text: done, error: false });
      } else if (outcome.kind === 'duplicate' && outcome.ownerStaffId !== null) {
        // The admin screen may say whose finger it is; the log never does.
        const owner = roster.find((m) => m.id === outcome.ownerStaffId);
        const who = owner ? `${outcome.ownerStaffId} ${owner.name}` : outcome.ownerStaffId;
        setMessage({ text: { zh: `此指纹已登记为其他工作人员（工号 ${who}），不能重复登记`, en: `This fingerprint is already enrolled for another staff member (${who}) and cannot be enrolled again` }, error: true });
      } else {
        setMessage({ text: outcome.text, error: outcome.kind !== 'replace-declined' });
      }
    } catch (error) {
      setMessage({ text: { zh: '指纹录入失败，请重试', en: 'Enrolment failed; try again' }, error: true });
      console.error('fingerprint enrolment failed', error);
    } finally {
      setEnrolling(null);
    }
  };

  return (
    <section className="staff-fingerprint" data-testid="staff-fingerprint">
      <h2>{local({ zh: '指纹录入', en: 'Fingerprint enrolment' })}</h2>
      {message && (
        <p className={message.error ? 'message message-bad' : 'message'} role="status" data-testid="enrol-message">
          {local(message.text)}
        </p>
      )}
      {replacing && (
        <div className="enrol-replace" role="alertdialog" aria-labelledby="enrol-replace-question" data-testid="enrol-replace">
          <p id="enrol-replace-question" className="message">
            {replacing.name}：{local(replaceQuestion)}
          </p>
          <div className="enrol-replace-actions">
            <button type="button" className="button button-primary button-confirm" data-testid="enrol-replace-yes" onClick={() => replacing.answer(true)}>
              {local({ zh: '重新登记', en: 'Enrol again' })}
            </button>
            <button type="button" className="button button-secondary button-confirm" data-testid="enrol-replace-no" onClick={() => replacing.answer(false)}>
              {local({ zh: '取消', en: 'Cancel' })}
            </button>
          </div>
        </div>
      )}
      {roster.length === 0 && <p className="hint">{local({ zh: '尚未从服务器同步工作人员名单', en: 'No staff roster synced from the server yet' })}</p>}
      <ul className="staff-roster">
        {roster.map((member) => (
          <li key={member.id} data-testid={`roster-${member.id}`}>
            <span className="staff-name">{member.name}</span>
            {member.counter && <span className="staff-counter">{member.counter}</span>}
            <button type="button" className="button button-secondary" data-testid={`enrol-${member.id}`} disabled={enrolling !== null} onClick={() => void enrol(member)}>
              {enrolling === member.id ? local({ zh: '录入中…', en: 'Enrolling…' }) : local({ zh: '录入指纹', en: 'Enrol finger' })}
            </button>
          </li>
        ))}
      </ul>
      {reader?.simulated && <DemoFingerButtons roster={roster} />}
      <ReaderPortPanel onMoved={() => void reload()} />
    </section>
  );
}

/** Demo kiosks only (simulated reader): a "模拟按指纹" button per roster member, and an unknown finger. */
export function DemoFingerButtons({ roster }: { roster: StaffMember[] }) {
  const local = useLocalized();
  const { kiosk } = useKioskServices();
  const press = (finger: string) => void kiosk.reader.simulateFinger(finger).catch((error: unknown) => console.error('simulated finger refused', error));
  return (
    <div className="demo-fingers" data-testid="demo-fingers">
      {roster.map((member) => (
        <button key={member.id} type="button" className="button button-secondary" data-testid={`simulate-${member.id}`} onClick={() => press(demoFingerOf(member.id))}>
          {local({ zh: `模拟按指纹：${member.name}`, en: `Simulate finger: ${member.name}` })}
        </button>
      ))}
      <button type="button" className="button button-secondary" data-testid="simulate-unknown" onClick={() => press('unknown')}>
        {local({ zh: '模拟未登记指纹', en: 'Simulate unknown finger' })}
      </button>
    </div>
  );
}
