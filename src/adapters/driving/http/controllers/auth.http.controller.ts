import { z } from 'zod';
import type { LoginUseCase } from '../../../../application/auth/login.use-case.js';
import type { LogoutUseCase } from '../../../../application/auth/logout.use-case.js';
import type { SsoLoginUseCase } from '../../../../application/auth/sso-login.use-case.js';
import type { WhoAmIUseCase } from '../../../../application/auth/who-am-i.use-case.js';
import type { Clock } from '../../../../application/ports/clock.port.js';
import type { SsoFlowCookie } from '../sso-flow-cookie.js';
import { route, type RouteSpec } from '../route.js';
import { actorOf, reply } from './reply.js';
import { Me, Session, SingleLogoutResult, SsoSession } from '../schemas/auth.schemas.js';

export interface AuthUseCases {
  login: LoginUseCase;
  logout: LogoutUseCase;
  ssoLogin: SsoLoginUseCase;
  whoAmI: WhoAmIUseCase;
}

/** `flowCookie` carries a single sign-on in progress; `clock` dates it. */
export function authRoutes(
  uc: AuthUseCases,
  { flowCookie, clock }: { flowCookie: SsoFlowCookie; clock: Clock },
): RouteSpec[] {
  const { login, logout, ssoLogin: sso, whoAmI } = uc;
  return [
    ...ssoRoutes(sso, flowCookie, clock),
    route({
      method: 'post',
      path: '/api/v1/auth/login',
      operationId: 'login',
      summary: 'Sign in and receive a session token',
      tags: ['auth'],
      auth: false,
      body: z.object({ username: z.string().min(1).max(128), password: z.string().min(1).max(1024) }).strict(),
      responses: {
        200: { description: 'signed in', schema: Session },
        401: { description: 'wrong username or password (one answer for both), or the account is disabled' },
        429: {
          description:
            'too many failed attempts for this account (from any address) or from this address; Retry-After says when to try again',
        },
      },
      handle: async ({ body, ctx, req }) =>
        reply(
          await login.execute({ ...body, ip: req.ip ?? 'unknown', client: clientOf(req), requestId: ctx.requestId }),
        ),
    }),
    route({
      method: 'post',
      path: '/api/v1/auth/logout',
      operationId: 'logout',
      summary: 'End the current session',
      tags: ['auth'],
      auth: true,
      responses: { 204: { description: 'signed out' } },
      handle: async ({ ctx }) => {
        await logout.execute({ sessionId: ctx.sessionId! });
        return { status: 204 };
      },
    }),
    route({
      method: 'get',
      path: '/api/v1/me',
      operationId: 'me',
      summary: 'Who I am and which roles I hold',
      tags: ['auth'],
      auth: true,
      responses: { 200: { description: 'the signed-in person', schema: Me } },
      handle: async ({ ctx }) => reply(await whoAmI.execute({ actor: actorOf(ctx) })),
    }),
  ];
}

const SSO = { cas: 'CAS', oidc: 'OpenID Connect' } as const;

/** Redirect sign-in through the university's unified identity authentication (统一身份认证, Art. 16). */
function ssoRoutes(sso: SsoLoginUseCase, flowCookie: SsoFlowCookie, clock: Clock): RouteSpec[] {
  return [
    ...(Object.keys(SSO) as Array<keyof typeof SSO>).flatMap((provider) => [
      route({
        method: 'get',
        path: `/api/v1/auth/${provider}/login`,
        operationId: `${provider}Login`,
        summary: `Sign in through the university's ${SSO[provider]} server (统一身份认证): redirects there`,
        tags: ['auth'],
        auth: false,
        query: z.object({ returnTo: z.string().max(500).optional() }).strict(),
        database: false,
        responses: {
          302: {
            description: `to the ${SSO[provider]} sign-in page`,
            headers: {
              Location: `the ${SSO[provider]} sign-in page`,
              'Set-Cookie': 'the signed state of the sign-in in progress, when the protocol needs one',
            },
          },
          401: { description: 'AUTH.SSO_UNAVAILABLE: the sign-in server could not be reached' },
          404: { description: `AUTH.SSO_NOT_CONFIGURED: no ${SSO[provider]} server is configured` },
        },
        handle: async ({ query }) => {
          const started = await sso.begin({ provider, ...query });
          if (!started.ok) throw started.error;
          const headers: Record<string, string> = { Location: started.value.url };
          if (started.value.flow) headers['Set-Cookie'] = flowCookie.seal(provider, started.value.flow, clock.now());
          return { status: 302, headers };
        },
      }),
      route({
        method: 'get',
        path: `/api/v1/auth/${provider}/callback`,
        operationId: `${provider}Callback`,
        summary: `${SSO[provider]} returns here with its proof (ticket or code); the hall verifies it and opens a session`,
        tags: ['auth'],
        auth: false,
        query:
          provider === 'cas'
            ? z.object({ ticket: z.string().max(300).optional(), returnTo: z.string().max(500).optional() }).strict()
            : z
                .object({
                  code: z.string().max(2000).optional(),
                  state: z.string().max(500).optional(),
                  iss: z.string().max(500).optional(),
                  session_state: z.string().max(500).optional(),
                  error: z.string().max(200).optional(),
                  error_description: z.string().max(1000).optional(),
                })
                .strict(),
        responses: {
          200: { description: 'signed in: the session token', schema: SsoSession },
          401: { description: 'the sign-in was refused' },
          404: { description: `AUTH.SSO_NOT_CONFIGURED: no ${SSO[provider]} server is configured` },
        },
        handle: async ({ query, ctx, req, res }) => {
          const flow = flowCookie.open(provider, req.headers.cookie, clock.now());
          // the flow is good for one answer, whatever it is
          if (flow) res.setHeader('Set-Cookie', flowCookie.clear(provider));
          return reply(
            await sso.complete({
              provider,
              query,
              flow,
              ip: req.ip ?? 'unknown',
              client: clientOf(req),
              requestId: ctx.requestId,
            }),
          );
        },
      }),
    ]),
    route({
      method: 'post',
      path: '/api/v1/auth/cas/logout',
      operationId: 'casSingleLogout',
      summary: 'CAS single logout (form post of a SAML logoutRequest): ends the sessions of that sign-in',
      tags: ['auth'],
      auth: false,
      body: z.object({ logoutRequest: z.string().max(20_000).optional() }).loose(),
      responses: {
        200: { description: 'how many sessions ended', schema: SingleLogoutResult },
        403: {
          description:
            "AUTH.LOGOUT_NOT_FROM_SSO_SERVER: not from the CAS server's address (nor one of CAS_LOGOUT_ALLOWED_ADDRESSES)",
        },
        404: { description: 'AUTH.SSO_NOT_CONFIGURED: no CAS server is configured' },
      },
      handle: async ({ body, req }) =>
        reply(
          await sso.logout({
            provider: 'cas',
            body: body as Record<string, string | undefined>,
            from: req.ip ?? req.socket.remoteAddress ?? '',
          }),
        ),
    }),
  ];
}

/** The client as it says it is (User-Agent), for tracing sign-ins: printable, at most 256 characters. */
function clientOf(req: { get(name: string): string | undefined }): string | undefined {
  const ua = req
    .get('user-agent')
    ?.replace(/[^\x20-\x7e\u00a0-\ud7ff\ue000-\uffff]/gu, '')
    .trim();
  return ua ? ua.slice(0, 256) : undefined;
}
