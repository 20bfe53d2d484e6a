import type { IncomingMessage, ServerResponse } from 'node:http';
import type { VoiceClip } from '../../store/voice-media-repo.js';
import type { HttpRoute } from './http-listener.js';
import { respond } from './respond.js';
import { MEDIA_PATH } from '../../lifecycle/whatsapp/voice-reply.js';

export interface MediaRouteOptions {
  /** The clip with this id while it has not expired (store.voiceMedia.get). */
  find: (id: string) => Promise<VoiceClip | undefined>;
}

/** The ids rolplay issues: base64url of 18 random bytes (voice-reply.ts); anything else is not looked up. */
const ID = /^[A-Za-z0-9_-]{22,64}$/;

/**
 * GET (and HEAD) /media/<id>: the spoken replies Twilio fetches to send as WhatsApp voice notes.
 * Twilio "issues GET and HEAD requests to the MediaUrl to validate the file's Content-Type"
 * (twilio.com/docs/messaging/guides/accepted-mime-types), so both are answered, with the
 * clip's type and length. Only ids rolplay issued, only until they expire; every other path,
 * /media/ itself included, is the same plain 404, so nothing can be listed or told apart.
 * No authentication: Twilio's fetch carries none; the 144-bit id is the secret.
 */
export function mediaRoute(options: MediaRouteOptions): HttpRoute {
  return {
    path: MEDIA_PATH,
    prefix: true,
    methods: ['GET', 'HEAD'],
    async handle(req: IncomingMessage, res: ServerResponse) {
      const url = req.url ?? '';
      const end = url.indexOf('?');
      const id = (end === -1 ? url : url.slice(0, end)).slice(MEDIA_PATH.length);
      const clip = ID.test(id) ? await options.find(id) : undefined;
      if (!clip) return respond(res, 404, 'text/plain', 'not found');
      res.writeHead(200, {
        'Content-Type': clip.contentType,
        'Content-Length': clip.bytes.length,
        // A name WhatsApp can show: Twilio reads Content-Disposition for the file name.
        'Content-Disposition': `inline; filename="reply.${extension(clip.contentType)}"`,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') return void res.end();
      res.end(clip.bytes);
    },
  };
}

function extension(contentType: string): string {
  const subtype = contentType.split('/')[1] ?? 'bin';
  return subtype === 'mpeg' ? 'mp3' : subtype.replace(/[^a-z0-9]/gi, '');
}
