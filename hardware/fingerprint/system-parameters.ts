import { packetSizes } from './instructions.ts';
import type { PacketSize } from './instructions.ts';

/** The 16 bytes ReadSysPara returns, as the AS608 manual lays them out (all big-endian). */
export interface SystemParameters {
  /** raw status register: bit 0 busy, 1 matched, 2 password verified, 3 image in buffer */
  status: number;
  busy: boolean;
  passwordVerified: boolean;
  imageInBuffer: boolean;
  systemId: number;
  /** template slots ("pages") in the library */
  librarySize: number;
  /** 1–5: how strict matching is */
  securityLevel: number;
  address: number;
  /** bytes of template in each data packet of UpChar/DownChar */
  packetSize: PacketSize;
  baudRate: number;
}

export const systemParametersLength = 16;

export function decodeSystemParameters(bytes: Uint8Array): SystemParameters {
  if (bytes.length !== systemParametersLength) throw new RangeError(`system parameters are ${systemParametersLength} bytes, got ${bytes.length}`);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const status = b.readUInt16BE(0);
  const sizeCode = b.readUInt16BE(12);
  const packetSize = packetSizes[sizeCode];
  if (packetSize === undefined) throw new RangeError(`packet size code ${sizeCode} is not 0–3`);
  return {
    status,
    busy: (status & 0x01) !== 0,
    passwordVerified: (status & 0x04) !== 0,
    imageInBuffer: (status & 0x08) !== 0,
    systemId: b.readUInt16BE(2),
    librarySize: b.readUInt16BE(4),
    securityLevel: b.readUInt16BE(6),
    address: b.readUInt32BE(8),
    packetSize,
    baudRate: b.readUInt16BE(14) * 9600,
  };
}

export function encodeSystemParameters(p: Omit<SystemParameters, 'busy' | 'passwordVerified' | 'imageInBuffer'>): Buffer {
  const b = Buffer.alloc(systemParametersLength);
  b.writeUInt16BE(p.status, 0);
  b.writeUInt16BE(p.systemId, 2);
  b.writeUInt16BE(p.librarySize, 4);
  b.writeUInt16BE(p.securityLevel, 6);
  b.writeUInt32BE(p.address >>> 0, 8);
  b.writeUInt16BE(packetSizes.indexOf(p.packetSize), 12);
  b.writeUInt16BE(Math.round(p.baudRate / 9600), 14);
  return b;
}
