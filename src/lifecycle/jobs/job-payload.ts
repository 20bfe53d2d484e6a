import type { z } from 'zod';
import type { JobRow } from '../../store/database.js';
import { RolplayError } from '../../support/errors.js';
import type { JobKind } from './job-kind.js';

/** A payload that does not match its kind's schema: a bug, an old row or a hand-edited table. */
export class JobPayloadError extends RolplayError {
  constructor(kind: string, error: z.ZodError | string) {
    const detail = typeof error === 'string' ? error : error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
    super(`invalid ${kind} job payload: ${detail}`, { code: 'JOB_PAYLOAD_INVALID' });
  }
}

/** The stored payload of `job`, checked against `kind`; throws JobPayloadError when it does not match. */
export function readPayload<P>(kind: JobKind<P>, job: Pick<JobRow, 'kind' | 'payload'>): P {
  if (job.kind !== kind.name) throw new JobPayloadError(kind.name, `the job is a ${job.kind} job`);
  let raw: unknown;
  try {
    raw = JSON.parse(job.payload);
  } catch {
    throw new JobPayloadError(kind.name, 'not JSON');
  }
  const parsed = kind.payload.safeParse(raw);
  if (!parsed.success) throw new JobPayloadError(kind.name, parsed.error);
  return parsed.data;
}

/** Like readPayload, but undefined for a job of another kind or a payload that does not match. */
export function payloadIf<P>(kind: JobKind<P>, job: Pick<JobRow, 'kind' | 'payload'>): P | undefined {
  if (job.kind !== kind.name) return undefined;
  try {
    return readPayload(kind, job);
  } catch {
    return undefined;
  }
}
