import { useCallback, useEffect, useRef, useState } from 'react';
import type { KioskApi } from '../../core/kiosk/kiosk-api.ts';
import type { PrinterStatus } from '../../core/printing/printing.ts';

export const printerPollMs = 15_000;

export interface PrinterStatusView {
  /** null until the printer has answered, or when asking failed */
  status: PrinterStatus | null;
  /** ask now, e.g. right after a print, instead of waiting for the next poll */
  refresh: () => void;
}

export function usePrinterStatus(kiosk: KioskApi, pollMs = printerPollMs): PrinterStatusView {
  const [status, setStatus] = useState<PrinterStatus | null>(null);
  const live = useRef(false);

  const refresh = useCallback(() => {
    kiosk.printer.status().then(
      (s) => {
        if (live.current) setStatus(s);
      },
      () => {
        if (live.current) setStatus(null);
      },
    );
  }, [kiosk]);

  useEffect(() => {
    live.current = true;
    refresh();
    const timer = setInterval(refresh, pollMs);
    const unsubscribe = kiosk.events.subscribe((event) => {
      if (live.current && event.type === 'printer-status') setStatus(event.status);
    });
    return () => {
      live.current = false;
      clearInterval(timer);
      unsubscribe();
    };
  }, [kiosk, pollMs, refresh]);

  return { status, refresh };
}
