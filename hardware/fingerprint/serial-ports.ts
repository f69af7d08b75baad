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

/**
 * The serial devices of this machine for the reader's port picker, likely readers first. A
 * listing that fails (no udev in a container, say) is an empty list, not an error: the
 * technician can still type a path.
 */
export async function listSerialPorts(): Promise<SerialPortChoice[]> {
  let ports: Awaited<ReturnType<typeof SerialPort.list>>;
  try {
    ports = await SerialPort.list();
  } catch {
    return [];
  }
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
