import type twilio from 'twilio';
import { errorMessage } from '../../support/errors.js';
import type { Logger } from '../../support/logger.js';
import type { TemplateBody } from './find-sent-messages.js';

type TwilioClient = ReturnType<typeof twilio>;

/** Content types whose `body` is the text WhatsApp shows, in the order we trust them. */
const TEXT_TYPES = ['twilio/text', 'twilio/quick-reply', 'twilio/call-to-action', 'twilio/media', 'whatsapp/card', 'twilio/list-picker'];

/**
 * The text a Content template renders to: GET content.twilio.com/v1/Content/{HX} (the Content
 * resource's `types`, e.g. {"twilio/text": {"body": "Hi {{1}}"}}, and `variables`, the default
 * placeholder values; https://www.twilio.com/docs/content/content-api-resources). A card-only
 * template has no body we can predict (what Twilio stores as the body of a card send is not
 * documented), and the fetch needs the Content API to be readable with the account's
 * credentials: in both cases `body` is null and the caller falls back to the variables.
 */
export async function templateText(client: TwilioClient, contentSid: string, logger: Logger): Promise<TemplateBody> {
  try {
    const content = await client.content.v1.contents(contentSid).fetch();
    const types = (content.types ?? {}) as Record<string, unknown>;
    const defaults = Object.fromEntries(Object.entries((content.variables ?? {}) as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    for (const name of [...TEXT_TYPES, ...Object.keys(types)]) {
      const type = types[name] as { body?: unknown } | undefined;
      if (type && typeof type.body === 'string') return { body: type.body, defaults };
    }
    logger.warn({ contentSid, types: Object.keys(types) }, 'template has no text body; matching an earlier send by its variables');
    return { body: null, defaults };
  } catch (error) {
    logger.warn({ contentSid, err: errorMessage(error).slice(0, 200) }, 'cannot read the template from the Content API; matching an earlier send by its variables');
    return { body: null, defaults: {} };
  }
}
