// Which tenant a request belongs to: X-Scope-OrgID when multi-tenancy is on (Tempo's rules and texts),
// Tempo's fixed "single-tenant" when it is off.
export const singleTenant = 'single-tenant';
export const orgIdHeader = 'x-scope-orgid';

export type TenantAnswer =
  | { ok: true; tenants: string[] }
  | { ok: false; status: 400 | 401; message: string };

const maxTenantLength = 150;
const validChar = /^[a-zA-Z0-9!\-_.*'()]$/;

function invalid(id: string): string | undefined {
  for (const c of id) {
    if (!validChar.test(c)) return `tenant ID '${id}' contains unsupported character '${c}'`;
  }
  if (id.length > maxTenantLength) return `tenant ID is too long: max ${maxTenantLength} characters`;
  if (id === '.' || id === '..') return "tenant ID is '.' or '..'";
  return undefined;
}

/**
 * The tenants of a request. Queries may name several (`a|b`, Tempo's cross-tenant query); a push names one.
 */
export function tenantsOf(
  header: string | string[] | undefined,
  multitenancy: boolean,
  allowSeveral: boolean,
): TenantAnswer {
  if (!multitenancy) return { ok: true, tenants: [singleTenant] };
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) {
    return {
      ok: false,
      status: 401,
      message: 'no org id: send the X-Scope-OrgID header (multi-tenancy is on)',
    };
  }
  const ids = allowSeveral ? value.split('|') : [value];
  if (ids.some((id) => id === '')) {
    return { ok: false, status: 400, message: `no org id: X-Scope-OrgID "${value}" has an empty tenant` };
  }
  for (const id of ids) {
    const problem = invalid(id);
    if (problem) return { ok: false, status: 400, message: problem };
  }
  return { ok: true, tenants: [...new Set(ids)].sort() };
}
