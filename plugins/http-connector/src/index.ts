/**
 * Bundled plugin: a business connector that POSTs the case as JSON to one endpoint of a
 * department's system. Each entry of the hall's CONNECTORS variable starts one instance of it,
 * under the entry's id; a configuration file can start more (`module: "@service-hall/plugin-http-connector"`).
 *
 * What the system receives:
 *   POST {url}   Content-Type: application/json, Idempotency-Key: <key>, Authorization: Bearer <token> (if given)
 *     body  { requestId, connector, caseNumber, applicationId, node, applicant, fields }
 *           (`requestId` is the idempotency key again; `fields` only those the transfer node declares)
 *     2xx  { "reference": "…" } (optional)  taken
 *     408, 429, 5xx                         try again later (Retry-After in seconds is honoured)
 *     any other 4xx                         refused for good ({ "error": "…" } gives the reason)
 */
import {
  businessConnectorExtension,
  connectorResultOf,
  definePlugin,
  PluginHttpError,
  z,
  type BusinessConnectorResult,
} from '@service-hall/plugin-sdk';

export const configSchema = z.strictObject({
  /** The system's endpoint for cases from this connector. */
  url: z.url({ protocol: /^https?$/ }),
  /** How long one request may take. */
  timeoutMs: z.number().int().min(100).max(60_000).default(5_000),
});

export default definePlugin({
  id: 'http-connector',
  sdkVersion: '^1.1.0',
  config: configSchema,
  optionalSecrets: ['token'],
  register(env) {
    const { config, secrets, http, health } = env;
    const connector = env.pluginId;

    env.provide(businessConnectorExtension, {
      async call(request, ctx): Promise<BusinessConnectorResult> {
        let response: Response;
        try {
          response = await http.fetch(config.url, {
            method: 'POST',
            timeoutMs: config.timeoutMs,
            signal: ctx.signal,
            headers: {
              'content-type': 'application/json',
              'idempotency-key': request.idempotencyKey,
              ...(secrets.token ? { authorization: `Bearer ${secrets.token}` } : {}),
            },
            body: JSON.stringify({
              requestId: request.idempotencyKey,
              connector,
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
        const result = await connectorResultOf(response);
        if (result.outcome === 'retry-later') health.report('degraded', `the system answered ${response.status}`);
        else health.report('ok');
        return result;
      },
    });
  },
});
