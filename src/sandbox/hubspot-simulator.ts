import { startSim, type Fault, type FaultPlan, type RunningSim, type SimReply, type SimRequest } from './http-sim.js';
import {
  ASSOCIATION_TYPES, REVERSE_TYPES, matchesGroups, normaliseTimestamp, pluralOf, sortRecords,
  type SimAssociation, type SimObjectType, type SimRecord,
} from './hubspot-sim-records.js';
import { cutBodies, error, missingScopes, nextPage, present, rateLimited } from './hubspot-sim-replies.js';

/**
 * A loopback HubSpot CRM: the v3 object endpoints rolplay calls (contacts search/create/read,
 * companies read, notes and tasks create/search with associations), v4 association reads,
 * Bearer auth with HubSpot's 401/403 bodies, 429s with HubSpot's rate-limit body, and an
 * optional search index lag. Everything created is kept for tests to assert on.
 */
export const HUBSPOT_SIM_TOKEN = 'pat-sim-00000000-0000-0000-0000-000000000000';

export const ALL_SCOPES = [
  'crm.objects.contacts.read', 'crm.objects.contacts.write', 'crm.objects.companies.read', 'crm.objects.companies.write',
];

export interface HubspotSimOptions {
  token?: string;
  /** Scopes granted to the token (default: all). */
  scopes?: string[];
  /** A created record stays invisible to search for this long, as in HubSpot. */
  searchLagMs?: number;
  /** Requests allowed per rolling 10 s before a TEN_SECONDLY_ROLLING 429 (default: no limit). */
  tenSecondlyLimit?: number;
  now?: () => number;
  faults?: FaultPlan;
  port?: number;
}

export interface HubspotSim {
  url: string;
  token: string;
  requests: SimRequest[];
  sim: RunningSim;
  addCompany(properties: Record<string, string>): string;
  /** Adds a contact, optionally with a primary company (associations 1 and 279, associatedcompanyid). */
  addContact(properties: Record<string, string>, companyId?: string): string;
  /** Adds an association by HubSpot type id (and its reverse), e.g. 279 contact-to-company. */
  associate(fromType: SimObjectType, fromId: string, toId: string, typeId: number): void;
  records(type: SimObjectType): SimRecord[];
  record(type: SimObjectType, id: string): SimRecord | undefined;
  /** Associations from one record, e.g. a note's contacts. */
  associationsOf(type: SimObjectType, id: string): SimAssociation[];
  /** The next `count` requests get HubSpot's 429 for this policy. */
  rateLimitNext(count?: number, policy?: 'TEN_SECONDLY_ROLLING' | 'DAILY' | 'SECONDLY'): void;
  /** The next `count` requests matching method and path get this fault (e.g. drop-after-commit on a note create). */
  faultOn(method: string, path: RegExp, fault: Fault, count?: number): void;
  setScopes(scopes: string[]): void;
  setSearchLag(ms: number): void;
  close(): Promise<void>;
}

export async function startHubspotSimulator(options: HubspotSimOptions = {}): Promise<HubspotSim> {
  const token = options.token ?? HUBSPOT_SIM_TOKEN;
  const now = options.now ?? Date.now;
  let scopes = new Set(options.scopes ?? ALL_SCOPES);
  let searchLagMs = options.searchLagMs ?? 0;
  const records = new Map<string, SimRecord>();
  const associations: SimAssociation[] = [];
  const limited: string[] = [];
  const recent: number[] = [];
  let nextId = 1000;

  const key = (type: SimObjectType, id: string) => `${type}/${id}`;
  const get = (type: SimObjectType, id: string) => records.get(key(type, id));

  function insert(type: SimObjectType, properties: Record<string, string>): SimRecord {
    const at = now();
    const id = String(++nextId);
    const record: SimRecord = { id, type, properties: { ...properties }, createdAt: at, updatedAt: at };
    if (type === 'contacts' && record.properties.email) record.properties.email = record.properties.email.toLowerCase();
    records.set(key(type, id), record);
    return record;
  }

  function associate(fromType: SimObjectType, fromId: string, toId: string, typeId: number): void {
    const [, toType, label] = ASSOCIATION_TYPES[typeId]!;
    associations.push({ fromType, fromId, toType, toId, typeId, label });
    const reverse = REVERSE_TYPES[typeId];
    if (reverse !== undefined) associations.push({ fromType: toType, fromId: toId, toType: fromType, toId: fromId, typeId: reverse, label: null });
  }

  function handle(req: SimRequest): SimReply {
    const auth = String(req.headers.authorization ?? '');
    if (auth === '') return error(401, 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview', 'INVALID_AUTHENTICATION');
    if (auth !== `Bearer ${token}`) return error(401, 'The OAuth token used to make this call expired or is invalid.', 'INVALID_AUTHENTICATION');
    const forced = limited.shift();
    if (forced) return rateLimited(forced);
    if (options.tenSecondlyLimit !== undefined) {
      const at = now();
      while (recent.length > 0 && recent[0]! <= at - 10_000) recent.shift();
      if (recent.length >= options.tenSecondlyLimit) return rateLimited('TEN_SECONDLY_ROLLING');
      recent.push(at);
    }

    const v3 = /^\/crm\/v3\/objects\/(contacts|companies|notes|tasks)(?:\/([^/]+))?$/.exec(req.path);
    const v4 = /^\/crm\/v4\/objects\/(contacts|companies|notes|tasks)\/(\d+)\/associations\/(contacts|companies|notes|tasks)$/.exec(req.path);
    if (v3) {
      const type = v3[1] as SimObjectType;
      const sub = v3[2];
      const write = req.method === 'POST' && sub === undefined;
      const missing = requireScope(type, write);
      if (missing) return missing;
      if (req.method === 'POST' && sub === 'search') return search(type, json(req.body));
      if (req.method === 'POST' && sub === undefined) return create(type, json(req.body));
      if (req.method === 'GET' && sub !== undefined) return read(type, sub, req.query);
      if (req.method === 'GET') return page(type, req.query);
    }
    if (v4 && req.method === 'GET') {
      const missing = requireScope(v4[1] as SimObjectType, false);
      if (missing) return missing;
      const links = associations.filter((a) => a.fromType === v4[1] && a.fromId === v4[2] && a.toType === v4[3]);
      const byTarget = new Map<string, SimAssociation[]>();
      for (const link of links) byTarget.set(link.toId, [...(byTarget.get(link.toId) ?? []), link]);
      const results = [...byTarget.entries()].map(([toId, list]) => ({
        toObjectId: Number(toId),
        associationTypes: list.map((l) => ({ category: 'HUBSPOT_DEFINED', typeId: l.typeId, label: l.label })),
      }));
      return { status: 200, body: { results } };
    }
    return error(404, `No route for ${req.method} ${req.path}`, 'OBJECT_NOT_FOUND');
  }

  function requireScope(type: SimObjectType, write: boolean): SimReply | undefined {
    const object = type === 'companies' ? 'companies' : 'contacts';
    const scope = `crm.objects.${object}.${write ? 'write' : 'read'}`;
    if (scopes.has(scope)) return undefined;
    return missingScopes(scope);
  }

  function create(type: SimObjectType, body: Record<string, unknown>): SimReply {
    const properties = stringProps(body.properties);
    if (type === 'contacts' && properties.email) {
      const clash = [...records.values()].find((r) => r.type === 'contacts' && r.properties.email === properties.email!.toLowerCase());
      if (clash) return error(409, `Contact already exists. Existing ID: ${clash.id}`, 'CONFLICT');
    }
    if (type === 'notes' || type === 'tasks') {
      const ts = properties.hs_timestamp === undefined ? null : normaliseTimestamp(properties.hs_timestamp);
      if (ts === null) return error(400, 'Property values were not valid: [{"isValid":false,"message":"hs_timestamp is required and must be a timestamp","error":"INVALID_DATE","name":"hs_timestamp"}]', 'VALIDATION_ERROR');
      properties.hs_timestamp = ts;
    }
    cutBodies(properties);
    const wanted: Array<{ toId: string; typeId: number }> = [];
    for (const a of Array.isArray(body.associations) ? body.associations : []) {
      const toId = String((a as { to?: { id?: unknown } }).to?.id ?? '');
      for (const t of Array.isArray((a as { types?: unknown }).types) ? (a as { types: unknown[] }).types : []) {
        const typeId = Number((t as { associationTypeId?: unknown }).associationTypeId);
        const def = ASSOCIATION_TYPES[typeId];
        if (!def || def[0] !== type) return error(400, `association type ${typeId} is not valid from ${type}`, 'VALIDATION_ERROR');
        if (!get(def[1], toId)) return error(400, `One or more associations are invalid: ${def[1]} ${toId} does not exist`, 'VALIDATION_ERROR');
        wanted.push({ toId, typeId });
      }
    }
    const record = insert(type, properties);
    const ts = new Date(record.createdAt).toISOString();
    record.properties[type === 'contacts' || type === 'companies' ? 'createdate' : 'hs_createdate'] = ts;
    for (const w of wanted) associate(type, record.id, w.toId, w.typeId);
    return { status: 201, body: present(record, null) };
  }

  function search(type: SimObjectType, body: Record<string, unknown>): SimReply {
    const limit = body.limit === undefined ? 10 : Number(body.limit);
    if (!Number.isInteger(limit) || limit < 0 || limit > 200) return error(400, 'limit must be between 0 and 200', 'VALIDATION_ERROR');
    const visibleBefore = now() - searchLagMs;
    const matching = sortRecords([...records.values()].filter((r) => r.type === type && r.createdAt <= visibleBefore && matchesGroups(r, body.filterGroups, associations)), body.sorts);
    const offset = Number(body.after ?? 0) || 0;
    const slice = matching.slice(offset, offset + limit);
    const wanted = Array.isArray(body.properties) ? body.properties.map(String) : null;
    const reply: Record<string, unknown> = { total: matching.length, results: slice.map((r) => present(r, wanted)) };
    if (offset + limit < matching.length) reply.paging = nextPage(offset + limit);
    return { status: 200, body: reply };
  }

  function read(type: SimObjectType, id: string, query: URLSearchParams): SimReply {
    const record = get(type, id);
    if (!record) return error(404, 'Object not found.  objectId are usually numeric.', 'OBJECT_NOT_FOUND');
    const body = present(record, listParam(query, 'properties'));
    const assoc = listParam(query, 'associations');
    if (assoc) {
      const out: Record<string, unknown> = {};
      for (const name of assoc) {
        const toType = pluralOf(name);
        const results = associations.filter((a) => a.fromType === type && a.fromId === id && a.toType === toType).map((a) => ({ id: a.toId, type: `${type.slice(0, -1)}_to_${toType.replace(/ies$/, 'y').replace(/s$/, '')}` }));
        if (results.length > 0) out[toType] = { results };
      }
      body.associations = out;
    }
    return { status: 200, body };
  }

  function page(type: SimObjectType, query: URLSearchParams): SimReply {
    const limit = Math.min(100, Number(query.get('limit') ?? 10) || 10);
    const after = Number(query.get('after') ?? 0) || 0;
    const all = sortRecords([...records.values()].filter((r) => r.type === type), []);
    const reply: Record<string, unknown> = { results: all.slice(after, after + limit).map((r) => present(r, listParam(query, 'properties'))) };
    if (after + limit < all.length) reply.paging = nextPage(after + limit);
    return { status: 200, body: reply };
  }

  const targeted: Array<{ method: string; path: RegExp; fault: Fault }> = [];
  const faultFor = (req: SimRequest): Fault | undefined => {
    const index = targeted.findIndex((t) => t.method === req.method && t.path.test(req.path));
    return index === -1 ? undefined : targeted.splice(index, 1)[0]!.fault;
  };
  const sim = await startSim(handle, { faults: options.faults, port: options.port, faultFor });
  return {
    url: sim.url,
    token,
    requests: sim.requests,
    sim,
    addCompany: (properties) => insert('companies', properties).id,
    addContact(properties, companyId) {
      const record = insert('contacts', properties);
      if (companyId) {
        record.properties.associatedcompanyid = companyId;
        associate('contacts', record.id, companyId, 1);
        associate('contacts', record.id, companyId, 279);
      }
      return record.id;
    },
    associate,
    records: (type) => [...records.values()].filter((r) => r.type === type),
    record: get,
    associationsOf: (type, id) => associations.filter((a) => a.fromType === type && a.fromId === id),
    rateLimitNext(count = 1, policy = 'TEN_SECONDLY_ROLLING') {
      for (let i = 0; i < count; i++) limited.push(policy);
    },
    faultOn(method, path, fault, count = 1) {
      for (let i = 0; i < count; i++) targeted.push({ method, path, fault });
    },
    setScopes(next) {
      scopes = new Set(next);
    },
    setSearchLag(ms) {
      searchLagMs = ms;
    },
    close: () => sim.close(),
  };
}

function json(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function stringProps(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

/** HubSpot accepts repeated (?properties=a&properties=b) and comma-separated lists. */
function listParam(query: URLSearchParams, name: string): string[] | null {
  const values = query.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return values.length > 0 ? values : null;
}
