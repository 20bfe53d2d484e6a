import { startSim, type SimReply, type SimRequest } from './http-sim.js';
import { listMessages, messageJson, newSid, rfc2822, type SimMessage } from './twilio-sim-messages.js';
import { handleV1, inventContent, newService, parseContentVariables, renderContent, type SimContent, type SimService } from './twilio-sim-services.js';
import { postSignedForm } from './twilio-webhook.js';
import { createOutboundMedia } from './twilio-sim-outbound-media.js';
import { simMediaStore } from './twilio-sim-media.js';
import type { StatusCallbackPost, TwilioSim, TwilioSimOptions } from './twilio-sim-api.js';

export type { StatusCallbackPost, TwilioSim, TwilioSimOptions } from './twilio-sim-api.js';


const API = '/2010-04-01/Accounts/';

export function twilioErrorBody(status: number, code: number, message: string): Record<string, unknown> {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

const errorReply = (status: number, code: number, message: string, headers?: Record<string, string>): SimReply =>
  ({ status, headers, body: twilioErrorBody(status, code, message) });

/** A loopback Twilio REST API (Messages and Account) that the real twilio SDK is pointed at. */
export async function startTwilioSimulator(options: TwilioSimOptions = {}): Promise<TwilioSim> {
  const accountSid = options.accountSid ?? newSid('AC');
  const authToken = options.authToken ?? newSid('').slice(0, 32);
  const now = options.now ?? Date.now;
  const messages: SimMessage[] = [];
  const outside = new Set([...(options.outsideWindow ?? [])].map(bare));
  const mode = options.outsideWindowMode ?? 'reject';
  const queuedRejections: SimReply[] = [];
  const createdAt = now();
  const callbacks: StatusCallbackPost[] = [];
  const target = options.callbackTarget ?? ((url: string) => url);
  const services = new Map<string, SimService>();
  for (const s of options.messagingServices ?? []) {
    const service = newService(s.friendlyName ?? 'rolplay sandbox service', s.senders, createdAt, s.sid);
    services.set(service.sid, service);
  }
  const contents = new Map<string, SimContent>();
  for (const [sid, c] of Object.entries(options.contents ?? {})) {
    contents.set(sid, { sid, friendlyName: c.friendlyName ?? sid, variables: c.variables ?? {}, types: { 'twilio/text': { body: c.body } }, createdAt });
  }
  let held = false;
  const outboundMedia = createOutboundMedia(options.mediaTarget);
  let simUrl = '';
  const media = simMediaStore(accountSid, () => simUrl, (path) => errorReply(404, 20404, `The requested resource ${path} was not found`), now);

  /** Queued messages leave the queue: a Messaging Service picks its sender, DateSent is set. */
  function dispatch(): void {
    if (held) return;
    for (const m of messages) {
      if ((m.status !== 'queued' && m.status !== 'accepted') || m.failWith || outboundMedia.pending(m.sid)) continue;
      if (m.from === null) m.from = services.get(m.messagingServiceSid ?? '')?.senders.find((x) => x.startsWith('whatsapp:')) ?? null;
      const t = now();
      m.status = 'sent';
      m.dateSent = t;
      m.dateUpdated = t;
    }
  }

  async function postStatusCallback(m: SimMessage, status: string, errorCode: number | null): Promise<StatusCallbackPost> {
    const params: Record<string, string> = {
      AccountSid: m.accountSid, ApiVersion: '2010-04-01', ChannelPrefix: 'whatsapp', From: m.from ?? '', To: m.to,
      MessageSid: m.sid, MessageStatus: status, SmsSid: m.sid, SmsStatus: status,
      // WhatsApp callbacks also name the sender (XE...) and the bare recipient (test/fixtures/providers/twilio/status-*.json).
      ChannelInstallSid: `XE${accountSid.slice(2)}`, ChannelToAddress: bare(m.to),
    };
    if (errorCode !== null) params.ErrorCode = String(errorCode);
    const url = m.statusCallback!;
    let answer: number | string;
    try {
      answer = (await postSignedForm({ url: target(url), publicUrl: url, params, authToken })).status;
    } catch (error) {
      answer = error instanceof Error ? error.message : String(error);
    }
    const post = { sid: m.sid, status, url, answer };
    callbacks.push(post);
    return post;
  }

  function authorised(req: SimRequest): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Basic\s+(.+)$/i.exec(header);
    if (!m) return false;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 && decoded.slice(0, colon) === accountSid && decoded.slice(colon + 1) === authToken;
  }

  function create(form: URLSearchParams): SimReply {
    const rejection = queuedRejections.shift();
    if (rejection) return rejection;
    const to = form.get('To') ?? '';
    const from = form.get('From') ?? '';
    const serviceSid = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    const contentSid = form.get('ContentSid');
    const mediaUrls = form.getAll('MediaUrl');
    if (!to) return errorReply(400, 21604, "A 'To' phone number is required.");
    if (!/^(whatsapp:)?\+[1-9]\d{6,14}$/.test(to)) return errorReply(400, 21211, `Invalid 'To' Phone Number: ${to.slice(0, 40)}`);
    if (!from && !form.get('MessagingServiceSid')) return errorReply(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
    if (serviceSid && !/^MG[0-9a-fA-F]{32}$/.test(serviceSid)) return errorReply(400, 21705, 'The Messaging Service is invalid');
    // https://www.twilio.com/docs/api/errors/21701: unknown, or not this account's.
    if (serviceSid && !services.has(serviceSid)) return errorReply(400, 21701, `The Messaging Service ${serviceSid} does not exist`);
    if (from && to.startsWith('whatsapp:') !== from.startsWith('whatsapp:')) return errorReply(400, 21910, 'Invalid From and To pair. From and To should be of the same channel');
    if (!body && !contentSid && mediaUrls.length === 0) return errorReply(400, 21619, 'A text message body or media urls must be specified.');
    if (body.length > 1600) return errorReply(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    let contentVariables: Record<string, string> | null = null;
    if (contentSid) {
      if (!/^HX[0-9a-f]{32}$/i.test(contentSid)) return errorReply(400, 21655, 'The ContentSid is Invalid.');
      const parsed = parseContentVariables(form.get('ContentVariables'));
      if (typeof parsed === 'string') return errorReply(400, 21656, parsed);
      contentVariables = parsed;
    }
    const freeForm = !contentSid;
    const blocked = freeForm && to.startsWith('whatsapp:') && outside.has(bare(to));
    if (blocked && mode === 'reject') {
      return errorReply(400, 63016, 'Failed to send freeform message because you are outside the allowed window. If you want to send messages outside the allowed window, please use a Message Template.');
    }
    const t = now();
    let content: SimContent | undefined;
    if (contentSid) {
      content = contents.get(contentSid) ?? inventContent(contentSid, contentVariables, t);
      contents.set(contentSid, content);
    }
    const message: SimMessage = {
      sid: newSid('SM'), accountSid, to, from: from || null,
      // A template sent through a Messaging Service answers with an empty body
      // (twilio/twilio-node#1081); whether the list shows the rendered text later is not
      // documented, so the simulator keeps it empty (the harder case for a lookup).
      body: content ? (serviceSid ? '' : renderContent(content, contentVariables)) : body,
      contentSid, contentVariables,
      statusCallback: form.get('StatusCallback'),
      messagingServiceSid: serviceSid,
      // "accepted": a Messaging Service has yet to pick the sender (Message status values).
      status: serviceSid && !from ? 'accepted' : 'queued', errorCode: null, errorMessage: null,
      numMedia: mediaUrls.length, dateCreated: t, dateSent: null, dateUpdated: t,
      failWith: blocked ? { code: 63016, message: 'Failed to send freeform message because you are outside the allowed window.' } : undefined,
    };
    messages.push(message);
    outboundMedia.onCreate(message, mediaUrls);
    return { status: 201, body: messageJson(message, 'create') };
  }

  async function handle(req: SimRequest): Promise<SimReply> {
    const cdn = media.serveCdn(req);
    if (cdn) return cdn;
    if (!req.path.startsWith(API) && !req.path.startsWith('/v1/')) return errorReply(404, 20404, `The requested resource ${req.path} was not found`);
    if (!authorised(req)) return errorReply(401, 20003, 'Authenticate', { 'WWW-Authenticate': 'Basic realm="Twilio API"' });
    if (req.method === 'GET') dispatch();
    const v1 = handleV1(req, { accountSid, services, contents }, errorReply);
    if (v1) return v1;
    const rest = req.path.slice(API.length);
    const [sid, ...tail] = rest.split('/');
    const path = tail.join('/');
    const account = sid!.replace(/\.json$/, '');
    if (account !== accountSid) return errorReply(404, 20404, `The requested resource ${req.path} was not found`);
    if (tail.length === 0 && req.method === 'GET') {
      return { status: 200, body: { sid: accountSid, friendly_name: options.friendlyName ?? 'rolplay sandbox', status: 'active', type: 'Full', date_created: rfc2822(createdAt), date_updated: rfc2822(createdAt), owner_account_sid: accountSid, uri: `${API}${accountSid}.json`, subresource_uris: { messages: `${API}${accountSid}/Messages.json` } } };
    }
    const served = media.serveApi(path, req);
    if (served) return served;
    if (path === 'Messages.json' && req.method === 'POST') return create(new URLSearchParams(req.body));
    if (path === 'Messages.json' && req.method === 'GET') return { status: 200, body: listMessages(messages, accountSid, req.query, options.unsentPosition) };
    const one = /^Messages\/(SM[0-9a-f]{32})\.json$/.exec(path);
    if (one && req.method === 'GET') {
      const found = messages.find((m) => m.sid === one[1]);
      return found ? { status: 200, body: messageJson(found) } : errorReply(404, 20404, `The requested resource ${req.path} was not found`);
    }
    return errorReply(404, 20404, `The requested resource ${req.path} was not found`);
  }

  const sim = await startSim(handle, {
    port: options.port,
    faults: options.faults,
    faultBody: (status) => twilioErrorBody(status, status === 429 ? 20429 : status === 503 ? 20503 : 20500, status === 429 ? 'Too Many Requests' : status === 503 ? 'Service Unavailable' : 'Internal Server Error'),
  });

  simUrl = sim.url;
  return Object.assign(sim, {
    addMedia: media.add,
    mediaDownloads: media.downloads,
    accountSid,
    authToken,
    messages,
    sentTo: (number: string) => messages.filter((m) => bare(m.to) === bare(number)),
    throttleNext(count = 1, retryAfterSeconds = 1) {
      for (let i = 0; i < count; i++) queuedRejections.push(errorReply(429, 20429, 'Too Many Requests', { 'Retry-After': String(retryAfterSeconds) }));
    },
    rejectNext(status: number, code: number, message: string) {
      queuedRejections.push(errorReply(status, code, message));
    },
    openWindow: (number: string) => void outside.delete(bare(number)),
    closeWindow: (number: string) => void outside.add(bare(number)),
    async settle() {
      await outboundMedia.settled();
      const unsent = new Set(messages.filter((x) => x.status === 'queued' || x.status === 'accepted'));
      dispatch();
      for (const m of messages.filter((x) => unsent.has(x) || x.status === 'sent')) {
        const t = now();
        m.dateUpdated = t;
        if (m.failWith) {
          m.status = 'failed';
          m.errorCode = m.failWith.code;
          m.errorMessage = m.failWith.message;
        } else {
          m.status = 'delivered';
          m.dateSent ??= t;
        }
        if (m.statusCallback) await postStatusCallback(m, m.status, m.errorCode);
      }
    },
    async postStatus(sid: string, override?: { status: SimMessage['status']; errorCode?: number | null }) {
      const m = messages.find((x) => x.sid === sid);
      if (!m?.statusCallback) throw new Error(`the simulator has no message ${sid} with a StatusCallback`);
      return postStatusCallback(m, override?.status ?? m.status, override ? override.errorCode ?? null : m.errorCode);
    },
    callbacks,
    addMessagingService(senders: string[], friendlyName = 'rolplay sandbox service') {
      const service = newService(friendlyName, senders, now());
      services.set(service.sid, service);
      return service.sid;
    },
    defineContent(sid: string, body: string, variables: Record<string, string> = {}) {
      contents.set(sid, { sid, friendlyName: sid, variables, types: { 'twilio/text': { body } }, createdAt: now() });
    },
    mediaFetched: () => outboundMedia.settled(),
    holdQueue(on: boolean) {
      held = on;
    },
    seed(m: Partial<SimMessage> & { to: string; body: string; dateCreated: number }) {
      const message: SimMessage = {
        sid: newSid('SM'), accountSid, from: 'whatsapp:+14155238886', contentSid: null, contentVariables: null, statusCallback: null,
        messagingServiceSid: null, status: 'delivered', errorCode: null, errorMessage: null, numMedia: 0,
        dateSent: m.dateCreated + 1000, dateUpdated: m.dateCreated + 2000, ...m,
      };
      messages.push(message);
      return message;
    },
  });
}

function bare(number: string): string {
  return number.trim().replace(/^whatsapp:/i, '');
}
