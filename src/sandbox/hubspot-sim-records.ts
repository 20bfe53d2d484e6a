/**
 * The records of the HubSpot simulator and the CRM v3 search semantics it needs: filter groups
 * (OR of ANDs), HubSpot's operators with case-insensitive string equality, "associations.<type>"
 * filters, sorting, paging with `after`, and the search index lag (a just-created record is not
 * searchable yet).
 */
export type SimObjectType = 'contacts' | 'companies' | 'notes' | 'tasks';

export interface SimRecord {
  id: string;
  type: SimObjectType;
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
}

export interface SimAssociation {
  fromType: SimObjectType;
  fromId: string;
  toType: SimObjectType;
  toId: string;
  typeId: number;
  label: string | null;
}

export interface SimFilter {
  propertyName?: unknown;
  operator?: unknown;
  value?: unknown;
  values?: unknown;
  highValue?: unknown;
}

/** HubSpot-defined association types the simulator knows: id -> [from, to, label]. */
export const ASSOCIATION_TYPES: Record<number, [SimObjectType, SimObjectType, string | null]> = {
  1: ['contacts', 'companies', 'Primary'],
  279: ['contacts', 'companies', null],
  280: ['companies', 'contacts', null],
  202: ['notes', 'contacts', null],
  190: ['notes', 'companies', null],
  204: ['tasks', 'contacts', null],
  192: ['tasks', 'companies', null],
};

/** The reverse type HubSpot stores with every association (a note-to-contact has a contact-to-note). */
export const REVERSE_TYPES: Record<number, number> = { 1: 280, 279: 280, 202: 201, 190: 189, 204: 203, 192: 191 };

export function matchesGroups(record: SimRecord, groups: unknown, associations: SimAssociation[]): boolean {
  if (!Array.isArray(groups) || groups.length === 0) return true;
  return groups.some((group) => {
    const filters = (group as { filters?: unknown } | null)?.filters;
    return Array.isArray(filters) && filters.every((f) => matchesFilter(record, f as SimFilter, associations));
  });
}

function matchesFilter(record: SimRecord, filter: SimFilter, associations: SimAssociation[]): boolean {
  const name = String(filter.propertyName ?? '');
  const op = String(filter.operator ?? 'EQ');
  const association = /^associations\.(\w+)$/.exec(name);
  if (association) {
    const toType = pluralOf(association[1]!);
    const ids = associations.filter((a) => a.fromType === record.type && a.fromId === record.id && a.toType === toType).map((a) => a.toId);
    if (op === 'EQ') return ids.includes(String(filter.value));
    if (op === 'IN') return Array.isArray(filter.values) && filter.values.some((v) => ids.includes(String(v)));
    if (op === 'HAS_PROPERTY') return ids.length > 0;
    return false;
  }
  const actual = name === 'hs_object_id' ? record.id : record.properties[name];
  const value = filter.value === undefined ? undefined : String(filter.value);
  switch (op) {
    case 'HAS_PROPERTY': return actual !== undefined && actual !== '';
    case 'NOT_HAS_PROPERTY': return actual === undefined || actual === '';
    case 'EQ': return actual !== undefined && value !== undefined && compare(actual, value) === 0;
    case 'NEQ': return actual === undefined || value === undefined || compare(actual, value) !== 0;
    case 'LT': return actual !== undefined && value !== undefined && compare(actual, value) < 0;
    case 'LTE': return actual !== undefined && value !== undefined && compare(actual, value) <= 0;
    case 'GT': return actual !== undefined && value !== undefined && compare(actual, value) > 0;
    case 'GTE': return actual !== undefined && value !== undefined && compare(actual, value) >= 0;
    case 'BETWEEN': return actual !== undefined && value !== undefined && filter.highValue !== undefined && compare(actual, value) >= 0 && compare(actual, String(filter.highValue)) <= 0;
    case 'IN': return actual !== undefined && Array.isArray(filter.values) && filter.values.some((v) => compare(actual, String(v)) === 0);
    case 'NOT_IN': return actual === undefined || !Array.isArray(filter.values) || !filter.values.some((v) => compare(actual, String(v)) === 0);
    case 'CONTAINS_TOKEN': return actual !== undefined && value !== undefined && containsToken(actual, value);
    case 'NOT_CONTAINS_TOKEN': return actual === undefined || value === undefined || !containsToken(actual, value);
    default: return false;
  }
}

/** Numbers and dates compare as numbers; strings compare case-insensitively, as HubSpot does. */
export function compare(a: string, b: string): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== null && nb !== null) return na - nb;
  return a.toLowerCase().localeCompare(b.toLowerCase());
}

function asNumber(v: string): number | null {
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  if (/^\d{4}-\d{2}-\d{2}T/.test(v)) {
    const ms = Date.parse(v);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function containsToken(text: string, token: string): boolean {
  const pattern = new RegExp(`^${token.toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return text.toLowerCase().split(/[^\p{L}\p{N}@.*_-]+/u).some((word) => pattern.test(word));
}

export function sortRecords(records: SimRecord[], sorts: unknown): SimRecord[] {
  const keys = (Array.isArray(sorts) ? sorts : []).map((s) => {
    if (typeof s === 'string') return { name: s.replace(/^-/, ''), desc: s.startsWith('-') };
    const o = s as { propertyName?: unknown; direction?: unknown };
    return { name: String(o.propertyName ?? ''), desc: String(o.direction ?? '').toUpperCase() === 'DESCENDING' };
  });
  // HubSpot's default order is by id ascending.
  return [...records].sort((x, y) => {
    for (const key of keys) {
      const a = valueFor(x, key.name);
      const b = valueFor(y, key.name);
      if (a === b) continue;
      if (a === undefined) return 1;
      if (b === undefined) return -1;
      const c = compare(a, b);
      if (c !== 0) return key.desc ? -c : c;
    }
    return Number(x.id) - Number(y.id);
  });
}

function valueFor(record: SimRecord, name: string): string | undefined {
  return name === 'hs_object_id' ? record.id : record.properties[name];
}

export function pluralOf(name: string): SimObjectType {
  const n = name.toLowerCase();
  if (n === 'contact' || n === 'contacts' || n === '0-1') return 'contacts';
  if (n === 'company' || n === 'companies' || n === '0-2') return 'companies';
  if (n === 'note' || n === 'notes' || n === '0-46') return 'notes';
  return 'tasks';
}

/** Timestamps are sent as epoch ms or ISO; HubSpot stores and returns ISO. */
export function normaliseTimestamp(value: string): string | null {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
