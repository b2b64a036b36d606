/** Demo people and their roles; every local account's password is DEMO_PASSWORD. Listed in the README. */
export const DEMO_PASSWORD = 'hall-demo-2026';

export interface DemoPerson {
  username: string;
  id: string;
  name: string;
  type: 'staff' | 'student';
  unit: string;
  roles: Array<{ role: string; unit: string }>;
}

const staff = (
  username: string,
  id: string,
  name: string,
  unit: string,
  roles: Array<[string, string]>,
): DemoPerson => ({ username, id, name, type: 'staff', unit, roles: roles.map(([role, u]) => ({ role, unit: u })) });

export const DEMO_PEOPLE: DemoPerson[] = [
  staff('xb-officer', 'T0001', '王校办', 'president-office', [['president-office', '*']]),
  staff('it-officer', 'T0002', '李信息', 'it-office', [['it-office', '*']]),
  staff('auditor', 'T0003', '赵审计', 'it-center', [['auditor', '*']]),
  staff('xb-admin', 'T0010', '孙校办', 'president-office', [['unit-service-admin', 'president-office']]),
  staff('xb-handler-a', 'T0011', '钱秘书', 'president-office', [['handler', 'president-office']]),
  staff('xb-handler-b', 'T0012', '吴秘书', 'president-office', [['handler', 'president-office']]),
  staff('jw-admin', 'T0101', '陈教务', 'academic-affairs', [['unit-service-admin', 'academic-affairs']]),
  staff('jw-handler', 'T0102', '刘教务', 'academic-affairs', [['handler', 'academic-affairs']]),
  staff('xg-admin', 'T0201', '周学工', 'student-affairs', [['unit-service-admin', 'student-affairs']]),
  staff('xg-handler', 'T0202', '吴学工', 'student-affairs', [['handler', 'student-affairs']]),
  staff('cw-admin', 'T0301', '郑财务', 'finance', [['unit-service-admin', 'finance']]),
  staff('cw-handler', 'T0302', '孙财务', 'finance', [['handler', 'finance']]),
  staff('xx-admin', 'T0401', '冯信息', 'college-info', [['unit-service-admin', 'college-info']]),
  staff('xx-counselor', 'T0402', '何辅导', 'college-info', [['counselor', 'college-info']]),
  staff('xx-deputy', 'T0403', '许书记', 'college-info', [['college-deputy-secretary', 'college-info']]),
  staff('hk-admin', 'T0501', '韩海洋', 'college-marine', [['unit-service-admin', 'college-marine']]),
  staff('hk-counselor', 'T0502', '杨辅导', 'college-marine', [['counselor', 'college-marine']]),
  staff('hk-deputy', 'T0503', '朱书记', 'college-marine', [['college-deputy-secretary', 'college-marine']]),
  staff('hq-admin', 'T0601', '林后勤', 'logistics', [['unit-service-admin', 'logistics']]),
  staff('hq-handler', 'T0602', '高后勤', 'logistics', [['handler', 'logistics']]),
  { username: 'student-xx', id: '2024110101', name: '张三', type: 'student', unit: 'college-info', roles: [] },
  { username: 'student-hk', id: '2024120202', name: '李四', type: 'student', unit: 'college-marine', roles: [] },
];
