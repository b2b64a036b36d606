/**
 * Template plugin: hands dormitory applications (住宿申请) to the dormitory management system.
 * Copy this folder to start a department's plugin; docs/plugins.md walks through it.
 *
 * The dormitory system's API, as this template assumes it:
 *   POST {url}/v1/allocations   Authorization: Bearer <token>, Idempotency-Key: <key>
 *     body  { caseNumber, applicationId, node, applicant, fields }
 *     200/201 { "reference": "DORM-…" }   taken (a repeated key answers as the first time)
 *     4xx     { "error": "…" }            refused for good
 *     5xx, 408, 429                        try again later (honours Retry-After in seconds)
 */
import {
  businessConnectorExtension,
  classifyStatus,
  definePlugin,
  PluginHttpError,
  z,
  type BusinessConnectorResult,
} from '@service-hall/plugin-sdk';

export const configSchema = z.object({
  /** The dormitory system's base URL. */
  url: z.url(),
  /** How long one request may take. */
  timeoutMs: z.number().int().positive().max(60_000).default(5_000),
});

async function reasonOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: unknown };
    if (typeof body.error === 'string' && body.error !== '') return body.error;
  } catch {
    // not JSON: the status is all there is
  }
  return `the dormitory system answered ${response.status}`;
}

export default definePlugin({
  id: 'example-dormitory',
  sdkVersion: '^1.0.0',
  config: configSchema,
  secrets: ['token'],
  register(env) {
    const { config, secrets, http, logger, health } = env;
    const endpoint = new URL('v1/allocations', config.url.endsWith('/') ? config.url : `${config.url}/`);

    env.provide(businessConnectorExtension, {
      async call(request, ctx): Promise<BusinessConnectorResult> {
        let response: Response;
        try {
          response = await http.fetch(endpoint, {
            method: 'POST',
            timeoutMs: config.timeoutMs,
            signal: ctx.signal,
            headers: {
              authorization: `Bearer ${secrets.token}`,
              'content-type': 'application/json',
              'idempotency-key': request.idempotencyKey,
            },
            body: JSON.stringify({
              caseNumber: request.caseNumber,
              applicationId: request.applicationId,
              node: request.node,
              applicant: request.applicant,
              fields: request.fields,
            }),
          });
        } catch (err) {
          // a timeout, a network error or an abort: the host classifies the throw as retry-later
          if (err instanceof PluginHttpError && err.kind !== 'aborted') health.report('down', err.message);
          throw err;
        }
        const outcome = classifyStatus(response.status);
        if (outcome === 'accepted') {
          health.report('ok');
          const body = (await response.json().catch(() => ({}))) as { reference?: unknown };
          const reference = typeof body.reference === 'string' ? body.reference : undefined;
          logger.info('allocation taken', { caseNumber: request.caseNumber, reference });
          return reference === undefined ? { outcome } : { outcome, reference };
        }
        const reason = await reasonOf(response);
        if (outcome === 'rejected') {
          health.report('ok');
          logger.info('allocation refused', { caseNumber: request.caseNumber, status: response.status, reason });
          return { outcome, reason };
        }
        health.report('degraded', `the dormitory system answered ${response.status}`);
        const retryAfter = Number(response.headers.get('retry-after'));
        return Number.isFinite(retryAfter) && retryAfter > 0
          ? { outcome, reason, afterSeconds: retryAfter }
          : { outcome, reason };
      },
    });
  },
});
