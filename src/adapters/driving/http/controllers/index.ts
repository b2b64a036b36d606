import type { Container } from 'inversify';
import type { RouteSpec } from '../route.js';
import { applicationRoutes } from './applications.http.controller.js';
import { evaluationRoutes } from './evaluations.http.controller.js';
import { attachmentRoutes } from './attachments.http.controller.js';
import { permissionRoutes } from './permissions.http.controller.js';
import { auditRoutes } from './audit.http.controller.js';
import { authRoutes } from './auth.http.controller.js';
import { healthRoutes } from './health.http.controller.js';
import { serviceItemRoutes } from './service-items.http.controller.js';
import { printoutRoutes } from './printouts.http.controller.js';
import { supervisionRoutes } from './supervision.http.controller.js';
import { messageRoutes } from './messages.http.controller.js';

export function allRoutes(container: Container): RouteSpec[] {
  return [...healthRoutes(container), ...authRoutes(container), ...serviceItemRoutes(container), ...applicationRoutes(container), ...evaluationRoutes(container), ...attachmentRoutes(container), ...permissionRoutes(container), ...auditRoutes(container), ...supervisionRoutes(container), ...messageRoutes(container), ...printoutRoutes(container)];
}
