import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGraphCalendar } from '../../../src/clients/graph/graph-calendar.js';
import { createMsalTokenProvider } from '../../../src/clients/graph/msal-token-provider.js';
import { SYNC_RESET, type CalendarSource, type DeltaPage } from '../../../src/clients/graph/calendar-source.js';
import { ProviderError } from '../../../src/support/errors.js';
import { silentLogger } from '../../../src/support/logger.js';
import { startGraphSimulator, type GraphSim } from '../../../src/sandbox/graph-simulator.js';
import { startMicrosoftTokenSimulator, type TokenSim } from '../../../src/sandbox/microsoft-token-simulator.js';

const BOT = 'coach-bot@example.com';
const HOUR = 3_600_000;
const start = Date.now() + 24 * HOUR;
const window = { start: Date.now() - HOUR, end: Date.now() + 14 * 24 * HOUR };

let tokens: TokenSim;
let graph: GraphSim;

beforeEach(async () => {
  tokens = await startMicrosoftTokenSimulator();
  graph = await startGraphSimulator({ botEmail: BOT, tokens });
});
afterEach(async () => {
  await graph.close();
  await tokens.close();
});

function calendar(overrides: { clientSecret?: string; tenantId?: string; pageSize?: number; graphBaseUrl?: string } = {}): CalendarSource {
  const provider = createMsalTokenProvider({
    tenantId: overrides.tenantId ?? tokens.tenantId,
    clientId: tokens.clientId,
    clientSecret: overrides.clientSecret ?? tokens.clientSecret,
    authorityHost: tokens.url,
    scope: 'https://graph.microsoft.com/.default',
    logger: silentLogger(),
  });
  return createGraphCalendar({ botEmail: BOT, graphBaseUrl: overrides.graphBaseUrl ?? graph.url, tokens: provider, pageSize: overrides.pageSize, logger: silentLogger() });
}

async function drain(source: CalendarSource, first: DeltaPage): Promise<{ ids: string[]; deltaLink: string; pages: number }> {
  const ids: string[] = [];
  let page = first;
  let pages = 1;
  for (;;) {
    for (const c of page.changes) ids.push(c.kind === 'invalid' ? `invalid:${c.reason}` : c.kind === 'removed' ? `removed:${c.id}` : c.event.id);
    if (page.deltaLink) return { ids, deltaLink: page.deltaLink, pages };
    page = await source.followLink(page.nextLink!);
    pages++;
  }
}

async function caught(promise: Promise<unknown>): Promise<ProviderError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  }
  throw new Error('expected a failure');
}

const invite = (i: number, extra: Partial<Parameters<GraphSim['addEvent']>[0]> = {}) => graph.addEvent({
  subject: `Meeting ${i}`, start: start + i * HOUR, end: start + i * HOUR + HOUR / 2, organizer: 'sam@example.com',
  attendees: [BOT, `client${i}@acme.example`], ...extra,
});

describe('Graph calendar client (real SDKs against the simulators)', () => {
  it('pages a full sync through absolute graph.microsoft.com links sent on to the simulator, with one token', async () => {
    const ids = Array.from({ length: 7 }, (_, i) => invite(i));
    const source = calendar({ pageSize: 3 });
    const first = await source.startSync(window);
    expect(first.nextLink).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/users\/.+\/calendarView\/delta\?\$skiptoken=/);
    const { ids: seen, deltaLink, pages } = await drain(source, first);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    expect(deltaLink).toMatch(/^https:\/\/graph\.microsoft\.com\/v1\.0\/.+\$deltatoken=/);
    // Every request carried a Bearer token and the page-size and UTC preferences; MSAL asked once.
    const deltaRequests = graph.requests.filter((r) => r.path.endsWith('/delta'));
    expect(deltaRequests).toHaveLength(3);
    for (const r of deltaRequests) {
      expect(r.headers.authorization).toMatch(/^Bearer ey/);
      expect(r.headers.prefer).toContain('odata.maxpagesize=3');
      expect(r.headers.prefer).toContain('outlook.timezone="UTC"');
    }
    expect(tokens.issued).toHaveLength(1);
    // Known cloud stand-in: no discovery request, just the token POST.
    expect(tokens.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /${tokens.tenantId}/oauth2/v2.0/token`]);
    expect(source.requestCount()).toBe(3);

    // A quiet poll: one request, nothing changed.
    const quiet = await source.followLink(deltaLink);
    expect(quiet.changes).toEqual([]);
    expect(quiet.deltaLink).toBeDefined();
    expect(source.requestCount()).toBe(4);
  });

  it('delivers updates, cancellations (isCancelled) and deletions (@removed) after the delta link', async () => {
    const [a, b, c] = [invite(1), invite(2), invite(3)];
    const source = calendar();
    const { deltaLink } = await drain(source, await source.startSync(window));
    graph.moveEvent(a, start + 5 * HOUR, start + 6 * HOUR);
    graph.cancelEvent(b);
    graph.deleteEvent(c);
    const page = await source.followLink(deltaLink);
    const byId = new Map(page.changes.map((ch) => [ch.kind === 'invalid' ? '' : ch.kind === 'removed' ? ch.id : ch.event.id, ch]));
    expect(byId.get(a)).toMatchObject({ kind: 'upsert', event: { startAt: start + 5 * HOUR } });
    expect(byId.get(b)).toMatchObject({ kind: 'upsert', event: { isCancelled: true } });
    expect(byId.get(c)).toEqual({ kind: 'removed', id: c, reason: 'deleted' });
  });

  it('reads times in UTC whatever zone an event was rendered in', async () => {
    const id = invite(1, { extra: { start: { dateTime: '2026-07-05T10:00:00.0000000', timeZone: 'Pacific Standard Time' }, end: { dateTime: '2026-07-05T11:00:00.0000000', timeZone: 'Pacific Standard Time' } } });
    const source = calendar();
    const page = await source.startSync(window);
    expect(page.changes).toContainEqual(expect.objectContaining({ kind: 'upsert', event: expect.objectContaining({ id, startAt: Date.parse('2026-07-05T17:00:00Z') }) }));
  });

  it('waits out a short Retry-After inline and reports a long one as a retryable error with the wait', async () => {
    invite(1);
    const source = calendar();
    graph.throttleNext(2, 0);
    const page = await source.startSync(window);
    expect(page.changes).toHaveLength(1);
    expect(source.requestCount()).toBe(3);

    graph.throttleNext(1, 120);
    const error = await caught(source.startSync(window));
    expect(error).toMatchObject({ provider: 'graph', retryable: true, status: 429, retryAfterMs: 120_000, providerCode: 'ApplicationThrottled' });
  });

  it('reports a 500 as retryable at once (the poller backs off), and waits out a 503 with a short Retry-After', async () => {
    const source = calendar();
    graph.failNext('500');
    expect(await caught(source.startSync(window))).toMatchObject({ retryable: true, status: 500 });
    expect(source.requestCount()).toBe(1);
    graph.sim.setFaults({ rate: 0, kinds: ['503'], retryAfterSeconds: 0 });
    graph.failNext('503');
    await expect(source.startSync(window)).resolves.toMatchObject({ changes: [] });
    expect(source.requestCount()).toBe(3);
  });

  it('turns a forgotten delta link (410 SyncStateNotFound) into GRAPH_SYNC_RESET', async () => {
    invite(1);
    const source = calendar();
    const { deltaLink } = await drain(source, await source.startSync(window));
    graph.expireSyncState();
    const error = await caught(source.followLink(deltaLink));
    expect(error).toMatchObject({ code: SYNC_RESET, status: 410, providerCode: 'SyncStateNotFound', retryable: true });
  });

  it('names the setting to fix when sign-in fails, without the secret', async () => {
    const wrong = `wrong-${randomBytes(8).toString('hex')}`;
    const secretError = await caught(calendar({ clientSecret: wrong }).startSync(window));
    expect(secretError).toMatchObject({ provider: 'microsoft', retryable: false, providerCode: 'AADSTS7000215' });
    expect(secretError.message).toContain('microsoft.clientSecret');
    expect(secretError.message).not.toContain(wrong);
    const tenantError = await caught(calendar({ tenantId: 'no-such-tenant' }).startSync(window));
    expect(tenantError.message).toContain('microsoft.tenantId');
    expect(graph.requests).toHaveLength(0);
  });

  it('reports a token Graph refuses (401) as a sign-in problem naming the settings', async () => {
    const source = calendar();
    await source.startSync(window);
    tokens.expireAll();
    // MSAL still holds the token (its own clock says it is valid): Graph's 401 is not retried blindly.
    const error = await caught(source.startSync(window));
    expect(error).toMatchObject({ provider: 'graph', status: 401, retryable: false });
    expect(error.message).toContain('microsoft.clientId');
  });

  it('accepts an invitation (202), and names Calendars.ReadWrite when the app only has Calendars.Read', async () => {
    const id = invite(1);
    const source = calendar();
    await source.acceptEvent(id);
    expect(graph.accepted).toEqual([id]);
    expect((graph.event(id)!.responseStatus as { response: string }).response).toBe('accepted');

    tokens.setRoles(['Calendars.Read']);
    const readOnly = calendar();
    const error = await caught(readOnly.acceptEvent(invite(2)));
    expect(error).toMatchObject({ status: 403, retryable: false, code: 'GRAPH_PERMISSION' });
    expect(error.message).toContain('Calendars.ReadWrite');
  });

  it('reads one event, and says undefined when it is gone', async () => {
    const id = invite(1);
    const source = calendar();
    expect(await source.getEvent(id)).toMatchObject({ id, subject: 'Meeting 1' });
    graph.deleteEvent(id);
    expect(await source.getEvent(id)).toBeUndefined();
  });

  it('names the mailbox setting when Graph does not know the bot, and the RBAC scope when access is denied', async () => {
    const scoped = await startGraphSimulator({ botEmail: BOT, tokens, allowedMailboxes: ['someone-else@example.com'] });
    try {
      const error = await caught(calendar({ graphBaseUrl: scoped.url }).startSync(window));
      expect(error).toMatchObject({ status: 403, code: 'GRAPH_PERMISSION' });
      expect(error.message).toContain('RBAC');
    } finally {
      await scoped.close();
    }
  });

  it('reports an unreachable Graph as retryable with the errno code', async () => {
    const closed = await startGraphSimulator({ botEmail: BOT, tokens });
    const url = closed.url;
    await closed.close();
    const error = await caught(calendar({ graphBaseUrl: url }).startSync(window));
    expect(error).toMatchObject({ provider: 'graph', retryable: true });
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('microsoft.graphBaseUrl');
  });

  it('signs in with a certificate (client assertion) instead of a secret', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const thumbprint = randomBytes(20).toString('hex').toUpperCase();
    const certTokens = await startMicrosoftTokenSimulator({ clientSecret: '', certificate: { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), thumbprint } });
    const certGraph = await startGraphSimulator({ botEmail: BOT, tokens: certTokens });
    const dir = mkdtempSync(join(tmpdir(), 'rolplay-cert-'));
    const keyPath = join(dir, 'key.pem');
    writeFileSync(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    try {
      const provider = createMsalTokenProvider({
        tenantId: certTokens.tenantId, clientId: certTokens.clientId, certificate: { thumbprint, privateKeyPath: keyPath },
        authorityHost: certTokens.url, scope: 'https://graph.microsoft.com/.default', logger: silentLogger(),
      });
      const source = createGraphCalendar({ botEmail: BOT, graphBaseUrl: certGraph.url, tokens: provider, logger: silentLogger() });
      await expect(source.startSync(window)).resolves.toMatchObject({ changes: [] });
      expect(certTokens.requests.at(-1)!.body).toContain('client_assertion=');
    } finally {
      await certGraph.close();
      await certTokens.close();
    }
  });
});
