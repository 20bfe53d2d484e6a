import type { Kysely } from 'kysely';
import type { Database } from './database.js';

export interface VoiceClip {
  id: string;
  contentType: string;
  bytes: Uint8Array;
  expiresAt: number;
}

/**
 * Spoken replies waiting for Twilio to fetch them (GET /media/<id>). A clip is served only
 * until it expires; expired rows are deleted whenever a new clip is added, so the table holds
 * minutes of audio at most and needs no sweeper.
 */
export class VoiceMediaRepo {
  constructor(private readonly db: Kysely<Database>) {}

  async add(clip: VoiceClip, now: number): Promise<void> {
    await this.db.deleteFrom('voice_media').where('expires_at', '<=', now).execute();
    await this.db.insertInto('voice_media').values({
      id: clip.id,
      content_type: clip.contentType,
      // Both drivers take a Buffer for BLOB / bytea.
      bytes: Buffer.from(clip.bytes.buffer, clip.bytes.byteOffset, clip.bytes.byteLength),
      expires_at: clip.expiresAt,
      created_at: now,
    }).execute();
  }

  /** The clip while it has not expired; undefined for an unknown or expired id. */
  async get(id: string, now: number): Promise<VoiceClip | undefined> {
    const row = await this.db.selectFrom('voice_media').selectAll().where('id', '=', id).where('expires_at', '>', now).executeTakeFirst();
    if (!row) return undefined;
    const bytes = row.bytes instanceof Uint8Array ? row.bytes : new Uint8Array(row.bytes as ArrayBuffer);
    return { id: row.id, contentType: row.content_type, bytes, expiresAt: Number(row.expires_at) };
  }

  /**
   * Serves a clip until `expiresAt` from now on (a send retried after the clip's first
   * lifetime). False when the clip is gone (deleted after it expired): send without it.
   */
  async renew(id: string, expiresAt: number): Promise<boolean> {
    const result = await this.db.updateTable('voice_media').set({ expires_at: expiresAt }).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
