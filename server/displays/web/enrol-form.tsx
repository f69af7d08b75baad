import { useState } from 'react';
import { hallApi } from '../../../core/http/contract.ts';
import type { HallClient } from '../../web/hall-client.ts';
import { displayText as t } from './display-text.ts';

/** The one-time code from the hall office; the server answers with the token in an HttpOnly cookie. */
export function EnrolForm({ client, onEnrolled }: { client: HallClient; onEnrolled(): void }) {
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="display-enrol"
      data-testid="display-enrol"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void client.call(hallApi.displaysEnroll, { body: { code } }).then((answer) => {
          setBusy(false);
          if (answer.ok) return onEnrolled();
          const text = answer.unreachable ? t.enrolUnreachable : t.enrolInvalid;
          setError(`${text.zh} · ${text.en}`);
        });
      }}
    >
      <h1>
        {t.enrolHeading.zh} <small>{t.enrolHeading.en}</small>
      </h1>
      <label>
        {t.enrolCode.zh} · {t.enrolCode.en}
        <input data-testid="display-enrol-code" value={code} autoComplete="off" onChange={(e) => setCode(e.target.value)} />
      </label>
      <button type="submit" className="primary" disabled={busy || code.trim() === ''} data-testid="display-enrol-submit">
        {t.enrolSubmit.zh} · {t.enrolSubmit.en}
      </button>
      {error && (
        <p role="alert" className="display-enrol-error">
          {error}
        </p>
      )}
    </form>
  );
}
