import { chinaDate } from '../../domain/calendar/working-calendar.js';

export type ReminderKind = 'before-due' | 'due' | 'overdue';

/** China time, to the minute: '2026-10-09 23:59'. */
export function chinaTime(at: Date): string {
  return `${chinaDate(at)} ${new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 16)}`;
}

/** What a follow-up (整改) reminder says: to the owning unit's admins, or to the President's Office when overdue. */
export function followUpText(
  kind: ReminderKind,
  f: { service: string; caseNumber: string; unit: string; level: number; dueAt: Date; link: string },
): { subject: string; body: string } {
  const due = chinaTime(f.dueAt);
  const head = { 'before-due': '【整改即将到期】', due: '【整改到期】', overdue: '【整改超期督办】' }[kind];
  const line = {
    'before-due': `差评（${f.level} 星）的整改将于 ${due} 到期，请及时办结。`,
    due: `差评（${f.level} 星）的整改已于 ${due} 到期，请尽快办结。`,
    overdue: `${f.unit} 对差评（${f.level} 星）的整改已于 ${due} 超期未办结，请督办。`,
  }[kind];
  return {
    subject: `${head}${f.service} ${f.caseNumber}`,
    body: `${line}\n事项：${f.service}\n办件编号：${f.caseNumber}\n查看：${f.link}`,
  };
}

/** What a reminder says, in Chinese first (the portal's language), with the facts to act on. */
export function reminderText(
  kind: ReminderKind | 'urge',
  f: {
    service: string;
    caseNumber: string;
    node: string;
    holder: string;
    dueAt: Date | null;
    link: string;
    by?: string;
  },
): { subject: string; body: string } {
  const due = f.dueAt ? chinaTime(f.dueAt) : '—';
  const head = { 'before-due': '【即将到期】', due: '【到期提醒】', overdue: '【超期督办】', urge: '【催办】' }[kind];
  const line = {
    'before-due': `您待办的“${f.node}”将于 ${due} 到期，请及时办理。`,
    due: `您待办的“${f.node}”已于 ${due} 到期，请尽快办理。`,
    overdue: `“${f.node}”（办理人：${f.holder}）已于 ${due} 超期未办，请督办。`,
    urge: `${f.by ?? ''} 催办了“${f.node}”，请尽快办理（办理时限 ${due}）。`,
  }[kind];
  return {
    subject: `${head}${f.service} ${f.caseNumber}`,
    body: `${line}\n事项：${f.service}\n办件编号：${f.caseNumber}\n查看：${f.link}`,
  };
}
