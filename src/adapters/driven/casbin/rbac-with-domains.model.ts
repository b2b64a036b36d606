/**
 * RBAC with domains. A domain is a university unit key (e.g. 'academic-affairs'); global roles are
 * held in the pseudo-domain '*' (ALL_UNITS). Default permissions are `p, <role>, *, <object>, <action>`.
 *
 * A role held in the request's unit, or a global one, grants the role's permissions there. A request
 * for unit '*' therefore succeeds only through global roles.
 *
 * casbin evaluates the matcher against every `p` rule (microseconds each); the hall decides with
 * PolicyIndex instead, this model compiled into hash maps. Change one, change the other: the
 * property tests compare the two on random policies.
 */
export const RBAC_WITH_DOMAINS_MODEL = `
[request_definition]
r = sub, dom, obj, act

[policy_definition]
p = sub, dom, obj, act

[role_definition]
g = _, _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.obj == p.obj && r.act == p.act && (p.dom == "*" || p.dom == r.dom) && (g(r.sub, p.sub, r.dom) || g(r.sub, p.sub, "*"))
`;
