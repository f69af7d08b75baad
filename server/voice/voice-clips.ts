import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { voiceClipsPath } from '../../core/http/contract.ts';
import { voiceClips, type ClipId } from '../../core/voice/clips.ts';

/**
 * The clip voice's recordings for the displays and the kiosks (docs/voice.md): each clip from the
 * hall's own folder when it has one there, else from the pack scripts/voice-clips.ts generated at
 * setup. Read at each request, so a recording dropped in is used from the next announcement on.
 */

/** The generated pack (scripts/setup.sh writes it). */
export const defaultVoicePackDir = fileURLToPath(new URL('../../data/voice/default/', import.meta.url));
/** Where a hall puts its own recordings unless the server is told another folder (--voice-dir). */
export const defaultHallVoiceDir = fileURLToPath(new URL('../../data/voice/hall/', import.meta.url));

/** The formats a browser's Web Audio decodes everywhere, in the order a clip's file is looked for. */
const formats = [
  ['wav', 'audio/wav'],
  ['mp3', 'audio/mpeg'],
  ['ogg', 'audio/ogg'],
] as const;

const clipIds = new Set<string>(voiceClips.map((c) => c.id));

export interface VoiceClipOptions {
  /** the generated pack; default data/voice/default */
  packDir?: string;
  /** the hall's own recordings, which win; default data/voice/hall */
  hallDir?: string;
}

async function firstFile(dirs: readonly string[], clip: ClipId): Promise<{ bytes: Buffer; type: string; from: string } | null> {
  for (const dir of dirs) {
    for (const [ext, type] of formats) {
      try {
        return { bytes: await readFile(join(dir, `${clip}.${ext}`)), type, from: dir };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
  return null;
}

export function registerVoiceClips(app: FastifyInstance, options: VoiceClipOptions = {}): void {
  const dirs = [options.hallDir ?? defaultHallVoiceDir, options.packDir ?? defaultVoicePackDir];
  app.get<{ Params: { clip: string } }>(`${voiceClipsPath}:clip`, async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    const { clip } = request.params;
    // Only the grammar's names: nothing else of the folders (no path, no other file) can be asked for.
    if (!clipIds.has(clip)) return reply.code(404).type('text/plain; charset=utf-8').send(`"${clip}" is not a clip of the voice; see docs/voice.md for their names\n`);
    const found = await firstFile(dirs, clip as ClipId);
    if (!found) {
      return reply.code(404).type('text/plain; charset=utf-8').send(`clip "${clip}" is missing: run scripts/setup.sh to generate the default clips into ${dirs[1]}, or put ${clip}.wav into ${dirs[0]}\n`);
    }
    // Revalidated, not kept: the hall may replace a recording at any time.
    reply.header('cache-control', 'no-cache');
    reply.header('x-voice-clip-source', found.from === dirs[0] ? 'hall' : 'default');
    return reply.type(found.type).send(found.bytes);
  });
}
