import { randomUUID } from 'node:crypto';
import type { SimReply } from './http-sim.js';
import type { SimRecord } from './hubspot-sim-records.js';

/**
 * The bodies the HubSpot simulator answers with, shaped after HubSpot's documented examples
 * (test/fixtures/providers/hubspot/ holds them; test/contract/hubspot.test.ts compares).
 */

/** A record as the v3 object endpoints return it (SimplePublicObject in the SDK's codegen). */
export function present(record: SimRecord, wanted: string[] | null): Record<string, unknown> {
  const defaults = record.type === 'contacts' ? ['email', 'firstname', 'lastname'] : record.type === 'companies' ? ['name', 'domain'] : [];
  const keys = new Set([...(wanted ?? (record.type === 'notes' || record.type === 'tasks' ? Object.keys(record.properties) : defaults)), 'hs_object_id']);
  // Contacts stamp createdate/lastmodifieddate, companies createdate/hs_lastmodifieddate, engagements
  // hs_createdate/hs_lastmodifieddate (default properties: https://developers.hubspot.com/docs/api/crm/search).
  const stamp = record.type === 'contacts' ? ['createdate', 'lastmodifieddate'] : record.type === 'companies' ? ['createdate', 'hs_lastmodifieddate'] : ['hs_createdate', 'hs_lastmodifieddate'];
  const properties: Record<string, string | null> = {};
  for (const k of keys) properties[k] = k === 'hs_object_id' ? record.id : record.properties[k] ?? null;
  properties[stamp[0]!] = new Date(record.createdAt).toISOString();
  properties[stamp[1]!] = new Date(record.updatedAt).toISOString();
  return { id: record.id, properties, createdAt: new Date(record.createdAt).toISOString(), updatedAt: new Date(record.updatedAt).toISOString(), archived: false };
}

/**
 * HubSpot keeps the first 65,536 characters of a note body ("limited to 65,536 characters":
 * https://developers.hubspot.com/docs/api/crm/notes; the issue and API-NOTES.md report the rest
 * as cut, not refused) and of any text property set through the CRM
 * (https://knowledge.hubspot.com/properties/property-field-types-in-hubspot), which is the only
 * limit found for hs_task_body. Not verified: that the cut is silent rather than a 400, and
 * that it counts UTF-16 code units (Java's String length, like JavaScript's) rather than code
 * points or bytes. The silent cut is the harsher case for a client, so the simulator does that.
 */
export const BODY_LIMIT = 65_536;

export function cutBodies(properties: Record<string, string>): void {
  for (const key of ['hs_note_body', 'hs_task_body']) {
    const value = properties[key];
    if (value !== undefined && value.length > BODY_LIMIT) properties[key] = value.slice(0, BODY_LIMIT);
  }
}

export function error(status: number, message: string, category: string): SimReply {
  return { status, body: { status: 'error', message, correlationId: randomUUID(), category } };
}

export function rateLimited(policy: string): SimReply {
  const message = policy === 'SECONDLY' ? 'You have reached your secondly limit.' : `You have reached your ${policy.toLowerCase()} limit.`;
  return {
    status: 429,
    headers: { 'X-HubSpot-RateLimit-Interval-Milliseconds': '10000', 'X-HubSpot-RateLimit-Max': '100', 'X-HubSpot-RateLimit-Remaining': '0' },
    // The body documented at https://developers.hubspot.com/docs/api/usage-details (quoted in
    // community.hubspot.com/t5/APIs-Integrations/Hubspot-User-experience/m-p/511716).
    body: { status: 'error', message, errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: policy, requestId: randomUUID() },
  };
}

/** 403 for a token without the scope, as HubSpot words it (see fixtures 403-missing-scopes). */
export function missingScopes(scope: string): SimReply {
  return {
    status: 403,
    body: {
      status: 'error',
      message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
      correlationId: randomUUID(),
      errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: [scope] } }],
      links: { scopes: 'https://developers.hubspot.com/scopes' },
      category: 'MISSING_SCOPES',
    },
  };
}

/** "paging.next" with the cursor and its relative link, as in HubSpot's search examples. */
export function nextPage(after: number): { next: { after: string; link: string } } {
  return { next: { after: String(after), link: `?after=${after}` } };
}
