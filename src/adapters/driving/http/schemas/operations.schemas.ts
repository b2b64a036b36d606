import { z } from 'zod';
import { component } from './component.js';

export const Alive = component('Alive', z.object({ status: z.literal('ok') }));
export const Ready = component('Ready', z.object({ status: z.literal('ready') }));
export const NotReady = component('NotReady', z.object({ status: z.literal('not-ready'), reason: z.string() }));
