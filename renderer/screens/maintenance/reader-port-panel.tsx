import { useCallback, useEffect, useState } from 'react';
import type { ReaderPortSettings, SerialPortChoiceReport } from '../../../core/attendance/fingerprint-reader-api.ts';
import { readerBaudRates, readerPortSettingsSchema } from '../../../core/attendance/fingerprint-reader-api.ts';
import type { LocalizedText } from '../../../core/text/localized.ts';
import { useLocalized } from '../../i18n/use-localized.ts';
import { useKioskServices } from '../../app/kiosk-services.ts';

/**
 * 指纹仪端口: where the kiosk's reader is plugged in, on the staff screen (after the admin PIN).
 * The picker lists the machine's serial devices (likely USB-serial bridges first); a path can
 * also be typed, and an empty one means the simulated reader of a demo kiosk. Moving the reader
 * makes the privileged side forget which templates it put in the old one and load them all into
 * the new one.
 */
export function ReaderPortPanel({ onMoved }: { onMoved?: () => void }) {
  const local = useLocalized();
  const { kiosk } = useKioskServices();
  const [ports, setPorts] = useState<SerialPortChoiceReport[]>([]);
  const [current, setCurrent] = useState<ReaderPortSettings | null>(null);
  const [path, setPath] = useState('');
  const [baudRate, setBaudRate] = useState(57600);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: LocalizedText; error: boolean } | null>(null);

  const reload = useCallback(async () => {
    const listing = await kiosk.reader.ports();
    setPorts(listing.ports);
    setCurrent(listing.current);
    setPath(listing.current.port ?? '');
    setBaudRate(listing.current.baudRate);
  }, [kiosk]);

  useEffect(() => {
    void reload().catch(() => setMessage({ text: { zh: '无法读取串口列表', en: 'Could not list the serial ports' }, error: true }));
  }, [reload]);

  const save = async () => {
    const settings = readerPortSettingsSchema.safeParse({ port: path.trim() === '' ? null : path.trim(), baudRate });
    if (!settings.success) {
      setMessage({ text: { zh: '端口应为完整路径，如 /dev/ttyUSB0', en: 'The port must be a full path such as /dev/ttyUSB0' }, error: true });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      const moved = settings.data.port !== current?.port || settings.data.baudRate !== current?.baudRate;
      const status = await kiosk.reader.configure(settings.data);
      // The roster's templates into the new reader now, not at the next round.
      if (moved) void kiosk.server.pullNow().catch(() => undefined);
      await reload();
      onMoved?.();
      setMessage(
        status.state === 'connected'
          ? { text: status.simulated ? { zh: '已切换到模拟指纹仪', en: 'Using the simulated reader' } : { zh: '指纹仪已连接', en: 'Reader connected' }, error: false }
          : { text: status.text ?? { zh: '指纹仪未连接，请检查连接线和端口', en: 'Reader not connected; check the cable and port' }, error: true },
      );
    } catch (error) {
      console.error('reader configuration refused', error);
      setMessage({ text: { zh: '保存失败，请检查端口和波特率', en: 'Not saved; check the port and baud rate' }, error: true });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="reader-port" data-testid="reader-port">
      <h2>{local({ zh: '指纹仪端口', en: 'Reader port' })}</h2>
      {current && (
        <p className="hint" data-testid="reader-port-current">
          {current.port === null ? local({ zh: '当前：模拟指纹仪（演示）', en: 'Now: simulated reader (demo)' }) : `${local({ zh: '当前：', en: 'Now: ' })}${current.port} · ${current.baudRate}`}
        </p>
      )}
      <ul className="port-choices">
        {ports.map((port) => (
          <li key={port.path}>
            <button type="button" className={port.path === path ? 'button button-primary' : 'button button-secondary'} data-testid="port-choice" onClick={() => setPath(port.path)}>
              {port.label}
              {port.likelyReader && ` · ${local({ zh: '可能是指纹仪', en: 'likely the reader' })}`}
            </button>
          </li>
        ))}
        {ports.length === 0 && <li className="hint">{local({ zh: '未发现串口设备，可直接输入路径', en: 'No serial devices found; type the path' })}</li>}
      </ul>
      <label className="port-field">
        <span>{local({ zh: '端口（留空为模拟指纹仪）', en: 'Port (empty: simulated reader)' })}</span>
        <input className="port-input" data-testid="reader-port-input" value={path} onChange={(e) => setPath(e.target.value)} spellCheck={false} autoComplete="off" />
      </label>
      <label className="port-field">
        <span>{local({ zh: '波特率', en: 'Baud rate' })}</span>
        <select className="port-input" data-testid="reader-baud" value={baudRate} onChange={(e) => setBaudRate(Number(e.target.value))}>
          {readerBaudRates.map((baud) => (
            <option key={baud} value={baud}>
              {baud}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button button-primary" data-testid="reader-port-save" disabled={busy} onClick={() => void save()}>
        {busy ? local({ zh: '正在连接…', en: 'Connecting…' }) : local({ zh: '保存并连接', en: 'Save and connect' })}
      </button>
      {message && (
        <p className={message.error ? 'message message-bad' : 'message'} role="status" data-testid="reader-port-message">
          {local(message.text)}
        </p>
      )}
    </section>
  );
}
