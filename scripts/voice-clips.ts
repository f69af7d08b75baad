/**
 * The default clip pack of the clip voice (core/voice/clips.ts): every clip spoken by Debian's
 * espeak-ng, trimmed of its silences with sox, plus a two-tone chime from sox's synth. Chinese
 * words go to espeak-ng's `cmn-latn-pinyin` voice as tone-numbered pinyin from pinyin-pro: the
 * plain `cmn` voice reads the tone digits out in English. Letters are read by their English names
 * (A = "ei"), as halls read them. Run by scripts/setup.sh; the hall's own recordings, in the
 * folder the server is given with --voice-dir, take precedence over these.
 *
 *   node --import tsx scripts/voice-clips.ts [--out data/voice/default]
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pinyin } from 'pinyin-pro';
import { clipFile, voiceClips, type ClipDefinition } from '../core/voice/clips.ts';

const run = promisify(execFile);

/** Where setup writes the pack; the hall server serves it (server/voice/voice-clips.ts). */
export const defaultClipPackDir = fileURLToPath(new URL('../data/voice/default/', import.meta.url));

/** Tone-numbered pinyin for espeak-ng: 窗口 → "chuang1 kou3". */
export function pinyinForEspeak(words: string): string {
  return pinyin(words, { toneType: 'num', type: 'array', v: true }).join(' ');
}

/** A little slower than espeak-ng's 175 words a minute: a hall is noisy and some listeners old. */
const wordsPerMinute = 150;

async function speak(clip: ClipDefinition, out: string): Promise<void> {
  const [voice, text] = clip.kind === 'letter' ? ['en', clip.words] : ['cmn-latn-pinyin', pinyinForEspeak(clip.words)];
  await run('espeak-ng', ['-v', voice, '-s', String(wordsPerMinute), '-w', out, text]);
}

/** Ding-dong: a G then an E, each fading out. */
async function chime(out: string): Promise<void> {
  await run('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', out, 'synth', '0.45', 'sine', '784', 'fade', 'q', '0.005', '0.45', '0.4', ':', 'synth', '0.8', 'sine', '659', 'fade', 'q', '0.005', '0.8', '0.7', 'vol', '0.6']);
}

/** espeak-ng pads with silence; clips are joined back to back, so each is trimmed and evened out. */
async function trim(input: string, out: string): Promise<void> {
  await run('sox', [input, out, 'silence', '1', '0.01', '0.5%', 'reverse', 'silence', '1', '0.01', '0.5%', 'reverse', 'norm', '-3']);
}

export interface WavSummary {
  sampleRate: number;
  seconds: number;
  /** root mean square of the samples, 0…1 */
  rms: number;
}

/** The samples of a 16-bit PCM WAV file (what espeak-ng and sox write here), summed up. */
export function summariseWav(bytes: Buffer): WavSummary {
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  let offset = 12;
  let sampleRate = 0;
  let channels = 0;
  let bits = 0;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    // espeak-ng writing to a file it cannot seek leaves the data size at its maximum: the rest is data.
    const size = Math.min(bytes.readUInt32LE(offset + 4), bytes.length - offset - 8);
    const body = offset + 8;
    if (id === 'fmt ') {
      channels = bytes.readUInt16LE(body + 2);
      sampleRate = bytes.readUInt32LE(body + 4);
      bits = bytes.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16 || channels < 1) throw new Error(`expected 16-bit PCM, found ${bits}-bit with ${channels} channels`);
      const count = Math.floor(size / 2);
      let sum = 0;
      for (let i = 0; i < count; i++) sum += (bytes.readInt16LE(body + i * 2) / 32768) ** 2;
      return { sampleRate, seconds: count / channels / sampleRate, rms: count ? Math.sqrt(sum / count) : 0 };
    }
    offset = body + size + (size % 2);
  }
  throw new Error('the WAV file has no data chunk');
}

/** Below this a clip is taken for silence: speech normalised to -3 dB sits far above it. */
export const silentRms = 0.01;

/** Writes every clip into `dir` (a new pack replaces the old one only once it is whole). */
export async function generateClipPack(dir: string): Promise<void> {
  const work = `${dir.replace(/\/$/, '')}.tmp`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    for (const clip of voiceClips) {
      const raw = join(work, `${clip.id}.raw.wav`);
      const out = join(work, clipFile(clip.id));
      if (clip.kind === 'chime') {
        await chime(out);
      } else {
        await speak(clip, raw);
        await trim(raw, out);
        await rm(raw);
      }
      const summary = summariseWav(await readFile(out));
      if (summary.rms < silentRms || summary.seconds < 0.1) throw new Error(`clip ${clip.id} came out silent (rms ${summary.rms.toFixed(4)}, ${summary.seconds.toFixed(2)} s)`);
    }
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, '..'), { recursive: true });
    await rename(work, dir);
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const dir = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]!) : defaultClipPackDir;
  generateClipPack(dir).then(
    () => console.log(`voice clips: ${voiceClips.length} clips written to ${dir}`),
    (error: unknown) => {
      console.error(`voice clips: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
