/**
 * Who lives in the sandbox's world. Addresses are on reserved example domains and the phone
 * numbers are in the 555-01xx range set aside for fiction, so nothing here can reach a person.
 */
export const SANDBOX_DOMAIN = 'sandbox.example';
export const SANDBOX_BOT = `coach-bot@${SANDBOX_DOMAIN}`;

/** Registered at every start, as `rolplay user add` would. */
export const SANDBOX_SELLER = { name: 'Sara Lopez', email: `sara@${SANDBOX_DOMAIN}`, phone: '+14155550123' };

/** Not registered: invitations from this colleague are recorded as unmatched until `rolplay user add`. */
export const SANDBOX_COLLEAGUE = { name: 'Tom Reed', email: `tom@${SANDBOX_DOMAIN}`, phone: '+14155550124' };

/** admin.whatsapp: operator alerts (unmatched invitations, failures) go here. */
export const SANDBOX_ADMIN = { name: 'Admin', phone: '+14155550100' };

/** HubSpot contacts (each with a company) that invitations can name as clients. */
export const SANDBOX_CLIENTS = [
  { name: 'Ann Lee', email: 'ann.lee@acme.example', company: 'Acme Corp', jobTitle: 'VP Operations' },
  { name: 'Bo Stone', email: 'bo.stone@globex.example', company: 'Globex', jobTitle: 'Head of Procurement' },
];

/** A display name for a WhatsApp number of the sandbox's people. */
export function sandboxNameOf(phone: string): string | undefined {
  const bare = phone.replace(/^whatsapp:/, '');
  return [SANDBOX_SELLER, SANDBOX_COLLEAGUE, SANDBOX_ADMIN].find((p) => p.phone === bare)?.name;
}
