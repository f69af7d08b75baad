/**
 * Where the ticket printer is, as one string in the kiosk config:
 *   virtual                       the built-in virtual printer (demo and tests)
 *   tcp://HOST[:PORT]             network printer, raw port 9100 by default
 *   usb:/dev/usb/lp0              USB printer class device
 *   serial:/dev/ttyUSB0[?baud=N]  serial printer, 9600 baud by default
 */
export type PrinterAddress =
  | { kind: 'virtual' }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'usb'; path: string }
  | { kind: 'serial'; path: string; baudRate: number };

export type AddressParse = { ok: true; address: PrinterAddress } | { ok: false; error: string };

const baudRates = [2400, 4800, 9600, 19200, 38400, 57600, 115200];

export function parsePrinterAddress(text: string): AddressParse {
  const fail = (error: string): AddressParse => ({ ok: false, error });
  if (text === 'virtual') return { ok: true, address: { kind: 'virtual' } };
  const tcp = /^tcp:\/\/([A-Za-z0-9.-]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?$/.exec(text);
  if (tcp) {
    const port = tcp[2] === undefined ? 9100 : Number(tcp[2]);
    if (port < 1 || port > 65535) return fail(`port ${port} is out of range 1–65535`);
    return { ok: true, address: { kind: 'tcp', host: tcp[1]!.replace(/^\[|\]$/g, ''), port } };
  }
  const usb = /^usb:(\/dev\/[A-Za-z0-9/_.-]+)$/.exec(text);
  if (usb) return { ok: true, address: { kind: 'usb', path: usb[1]! } };
  const serial = /^serial:((?:\/dev\/|COM)[A-Za-z0-9/_.-]+)(?:\?baud=(\d+))?$/.exec(text);
  if (serial) {
    const baudRate = serial[2] === undefined ? 9600 : Number(serial[2]);
    if (!baudRates.includes(baudRate)) return fail(`baud ${baudRate} is not one of ${baudRates.join(', ')}`);
    return { ok: true, address: { kind: 'serial', path: serial[1]!, baudRate } };
  }
  return fail(`"${text}" is not a printer address: use virtual, tcp://HOST[:PORT], usb:/dev/usb/lpN or serial:/dev/ttyX[?baud=N]`);
}
