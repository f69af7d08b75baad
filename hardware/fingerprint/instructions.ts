/** Instruction codes of the AS608 family (docs/architecture.md §4). */
export const Instruction = {
  genImg: 0x01,
  img2Tz: 0x02,
  match: 0x03,
  search: 0x04,
  regModel: 0x05,
  store: 0x06,
  loadChar: 0x07,
  upChar: 0x08,
  downChar: 0x09,
  deleteChar: 0x0c,
  empty: 0x0d,
  readSysPara: 0x0f,
  vfyPwd: 0x13,
  templateNum: 0x1d,
  readIndexTable: 0x1f,
} as const;
export type Instruction = (typeof Instruction)[keyof typeof Instruction];

export const instructionNames: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(Instruction).map(([name, code]) => [code, name]),
);

/**
 * Content length of a successful acknowledgement: the confirmation code plus what the instruction
 * returns. The module answers failures in the same shape with zeroed fields, except that some
 * modules (and any module refusing a packet outright) answer with the bare code.
 */
export const ackContentLength: Readonly<Record<Instruction, number>> = {
  [Instruction.genImg]: 1,
  [Instruction.img2Tz]: 1,
  [Instruction.match]: 3,
  [Instruction.search]: 5,
  [Instruction.regModel]: 1,
  [Instruction.store]: 1,
  [Instruction.loadChar]: 1,
  [Instruction.upChar]: 1,
  [Instruction.downChar]: 1,
  [Instruction.deleteChar]: 1,
  [Instruction.empty]: 1,
  [Instruction.readSysPara]: 17,
  [Instruction.vfyPwd]: 1,
  [Instruction.templateNum]: 3,
  [Instruction.readIndexTable]: 33,
};

/** Parameter length each instruction carries after its code; anything else is a malformed packet. */
export const paramLength: Readonly<Record<Instruction, number>> = {
  [Instruction.genImg]: 0,
  [Instruction.img2Tz]: 1,
  [Instruction.match]: 0,
  [Instruction.search]: 5,
  [Instruction.regModel]: 0,
  [Instruction.store]: 3,
  [Instruction.loadChar]: 3,
  [Instruction.upChar]: 1,
  [Instruction.downChar]: 1,
  [Instruction.deleteChar]: 4,
  [Instruction.empty]: 0,
  [Instruction.readSysPara]: 0,
  [Instruction.vfyPwd]: 4,
  [Instruction.templateNum]: 0,
  [Instruction.readIndexTable]: 1,
};

export const isInstruction = (code: number): code is Instruction => Object.hasOwn(paramLength, code);

/** The two character-file buffers that captures are extracted into and templates merged from. */
export type CharBuffer = 1 | 2;

/** Data packet sizes a module can be set to, by their ReadSysPara code 0–3. */
export const packetSizes = [32, 64, 128, 256] as const;
export type PacketSize = (typeof packetSizes)[number];

/** A template (and, in our simulator, a character file) as UpChar sends it. */
export const templateLength = 512;
