import type { Associate } from '../logic/types.js';

/** An associate for a component test: a login name and email made from the name, unless given. */
export const associate = (id: number, name: string, extra: Partial<Associate> = {}): Associate => ({
  associateId: id,
  name,
  loginName: name.split(' ')[0]!.toUpperCase(),
  personId: id + 100,
  userGroupId: 1,
  userGroup: 'Sales',
  active: true,
  email: `${name.split(' ')[0]!.toLowerCase()}@cust.example`,
  ...extra,
});
