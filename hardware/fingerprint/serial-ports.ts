import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { SerialPort } from 'serialport';

export interface SerialPortChoice {
  path: string;
  /** what the port picker shows: adapter and serial number when the system knows them */
  label: string;
  /** a USB-serial adapter of a kind these modules are sold with */
  likelyReader: boolean;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
}

/** USB-serial bridges that AS608/R30x boards and their cables use (vendor:product). */
const readerBridges: Record<string, string> = {
  '1a86:7523': 'CH340',
  '1a86:5523': 'CH341',
  '10c4:ea60': 'CP210x',
  '067b:2303': 'PL2303',
  '0403:6001': 'FT232',
};

type PortInfo = Awaited<ReturnType<typeof SerialPort.list>>[number];

/** A directory whose character devices are offered too, optionally only names matching `names`. */
export interface SerialDeviceDir {
  dir: string;
  names?: RegExp;
}

export interface ListSerialPortsOptions {
  /** the system's listing; serialport's (udev, sysfs) by default */
  list?: () => Promise<PortInfo[]>;
  /** directories scanned for character devices the system listing misses */
  scan?: readonly SerialDeviceDir[];
}

/**
 * Where a kiosk's reader may be that serialport's listing (sysfs) does not show: the stable
 * by-id links of USB adapters, and USB/ACM nodes in containers without sysfs.
 */
export const defaultSerialDeviceDirs: readonly SerialDeviceDir[] = [{ dir: '/dev/serial/by-id' }, { dir: '/dev', names: /^tty(USB|ACM)\d+$/ }];

/** Character devices in `dir` (links followed, as a PTY link or /dev/serial/by-id entry is); none if it cannot be read. */
async function scanDir({ dir, names }: SerialDeviceDir): Promise<PortInfo[]> {
  const entries = await readdir(dir).catch(() => [] as string[]);
  const found: PortInfo[] = [];
  for (const name of entries.sort()) {
    if (names && !names.test(name)) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => null);
    if (info?.isCharacterDevice()) found.push({ path, manufacturer: undefined, serialNumber: undefined, pnpId: undefined, locationId: undefined, vendorId: undefined, productId: undefined });
  }
  return found;
}

/**
 * The serial devices of this machine for the reader's port picker, likely readers first. A
 * listing that fails (no udev in a container, say) is an empty list, not an error: the
 * technician can still type a path.
 */
export async function listSerialPorts(options: ListSerialPortsOptions = {}): Promise<SerialPortChoice[]> {
  const listed = await (options.list ?? (() => SerialPort.list()))().catch(() => [] as PortInfo[]);
  const scanned = (await Promise.all((options.scan ?? defaultSerialDeviceDirs).map(scanDir))).flat();
  // The system's entry first: it knows the adapter; a scanned duplicate adds nothing.
  const byPath = new Map<string, PortInfo>();
  for (const port of [...listed, ...scanned]) if (!byPath.has(port.path)) byPath.set(port.path, port);
  const ports = [...byPath.values()];
  const choices = ports.map((p): SerialPortChoice => {
    const ids = p.vendorId && p.productId ? `${p.vendorId}:${p.productId}`.toLowerCase() : undefined;
    const bridge = ids ? readerBridges[ids] : undefined;
    const label = [p.path, bridge ?? p.manufacturer, p.serialNumber && `S/N ${p.serialNumber}`].filter(Boolean).join(' · ');
    return {
      path: p.path,
      label,
      likelyReader: bridge !== undefined,
      ...(p.vendorId && { vendorId: p.vendorId }),
      ...(p.productId && { productId: p.productId }),
      ...(p.serialNumber && { serialNumber: p.serialNumber }),
    };
  });
  return choices.sort((a, b) => Number(b.likelyReader) - Number(a.likelyReader) || a.path.localeCompare(b.path));
}
