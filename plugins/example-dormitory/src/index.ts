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
  connectorResultOf,
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
        // 2xx taken, 408/429/5xx try again later (Retry-After honoured), any other 4xx refused for good
        const result = await connectorResultOf(response, 'the dormitory system');
        if (result.outcome === 'accepted') {
          health.report('ok');
          logger.info('allocation taken', { caseNumber: request.caseNumber, reference: result.reference });
        } else if (result.outcome === 'rejected') {
          health.report('ok');
          logger.info('allocation refused', {
            caseNumber: request.caseNumber,
            status: response.status,
            reason: result.reason,
          });
        } else {
          health.report('degraded', `the dormitory system answered ${response.status}`);
        }
        return result;
      },
    });
  },
});
