/** A person as the rules about who may act see them. */
export interface Candidate {
  id: string;
  type: 'staff' | 'student';
  status: 'active' | 'left' | 'retired' | 'suspended';
}

/**
 * Who may handle a task, stand in for someone, take over their work, hold a role or operate the
 * hall: active staff (在职教职工, Art. 6). Students apply; people who left, retired or are suspended
 * act no more.
 */
export function isActiveStaff(p: Candidate): boolean {
  return p.type === 'staff' && p.status === 'active';
}

/** Every reason a person is not active staff (none when they are), for the problems that name them. */
export function notActiveStaff(p: Candidate): string[] {
  return [
    ...(p.type !== 'staff' ? [`${p.id} is not staff`] : []),
    ...(p.status !== 'active' ? [`${p.id} is ${p.status}, not active`] : []),
  ];
}
