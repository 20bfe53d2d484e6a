/**
 * The simulators process of the load bench: the Twilio and Gemini simulators on 127.0.0.1
 * (port 0), in a process of their own so that their work is not charged to the daemon under
 * test or to the load generator.
 *
 * argv[2]: JSON options {twilioLatencyMs: [min, max], geminiLatencyMs: [min, max]}: how long
 * each simulator waits before answering (after the request took effect), so a send or a model
 * call takes a realistic-but-fast round trip instead of none.
 *
 * stdout: one JSON line {ready, twilio: {url, accountSid, authToken}, gemini: {url, apiKey}},
 * then one line per control request. stdin: control requests, one JSON line each:
 *   {id, cmd: 'messages', from}  -> {id, total, messages: [[to, acceptedAtMs, body], ...]}
 *     every message the Twilio simulator accepted (created), from index `from` on; bodies are
 *     cut to 120 characters (enough to tell a reminder by its meeting title).
 * It ends when stdin closes or on SIGTERM.
 */
import { createInterface } from 'node:readline';
import { startTwilioSimulator } from '../sandbox/twilio-simulator.js';
import { startGeminiSimulator } from '../sandbox/gemini-simulator.js';

interface SimsOptions {
  twilioLatencyMs?: [number, number];
  geminiLatencyMs?: [number, number];
}

const options = JSON.parse(process.argv[2] ?? '{}') as SimsOptions;
const twilio = await startTwilioSimulator({ friendlyName: 'rolplay load bench' });
const gemini = await startGeminiSimulator();
twilio.setLatency(options.twilioLatencyMs ?? null);
gemini.sim.setLatency(options.geminiLatencyMs ?? null);

// The simulators log every request for tests to inspect; a load run would hold hundreds of
// thousands of them. The messages themselves stay (the daemon may look a send up in the list).
const trim = setInterval(() => {
  twilio.requests.length = 0;
  gemini.requests.length = 0;
  gemini.calls.length = 0;
}, 1000);

let closing = false;
async function close(): Promise<void> {
  if (closing) return;
  closing = true;
  clearInterval(trim);
  await Promise.allSettled([twilio.close(), gemini.close()]);
  process.exit(0);
}
process.on('SIGTERM', () => void close());
process.on('SIGINT', () => void close());

const write = (line: unknown) => process.stdout.write(`${JSON.stringify(line)}\n`);
createInterface({ input: process.stdin })
  .on('line', (text) => {
    let request: { id?: unknown; cmd?: unknown; from?: unknown };
    try {
      request = JSON.parse(text) as typeof request;
    } catch {
      return;
    }
    if (request.cmd === 'messages') {
      const from = Math.max(0, Number(request.from) || 0);
      const messages = twilio.messages.slice(from).map((m) => [m.to.replace(/^whatsapp:/, ''), m.dateCreated, m.body.slice(0, 120)]);
      write({ id: request.id, total: twilio.messages.length, messages });
    } else {
      write({ id: request.id, error: `unknown command ${String(request.cmd)}` });
    }
  })
  .on('close', () => void close());

write({
  ready: true,
  twilio: { url: twilio.url, accountSid: twilio.accountSid, authToken: twilio.authToken },
  gemini: { url: gemini.url, apiKey: gemini.apiKey },
});
