import { useState } from 'react';
import { CounterDesk } from './counter-desk.tsx';
import type { StoredCounterSession } from './counter-session.ts';
import { browserStorage, readSession, writeSession } from './counter-session.ts';
import { SignIn } from './sign-in.tsx';

/** 窗口叫号端: sign in at a window, then the desk until 签退 (or the session ends). */
export function CounterApp() {
  const [session, setSession] = useState<StoredCounterSession | null>(() => readSession(browserStorage('session'), Date.now()));
  const [notice, setNotice] = useState<'signedOut' | null>(null);

  if (!session) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(next) => {
          writeSession(browserStorage('session'), next);
          setNotice(null);
          setSession(next);
        }}
      />
    );
  }
  return (
    <CounterDesk
      session={session}
      onSignedOut={(why) => {
        writeSession(browserStorage('session'), null);
        setNotice(why);
        setSession(null);
      }}
    />
  );
}
