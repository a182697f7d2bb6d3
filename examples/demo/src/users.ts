import { verifyPassword } from './passwords.ts';

export interface DemoUser {
  id: string;
  name: string;
  /** scrypt hash; the plain password is never stored. */
  passwordHash: string;
}

/** The password every seeded account accepts, shown on the sign-in page: this is a demo. */
export const DEMO_PASSWORD_HINT = 'hallpass-demo';

const USERS: readonly DemoUser[] = [
  {
    id: 'alice',
    name: 'Alice Liddell',
    passwordHash:
      'scrypt$16384$8$1$OcEyTQpP2xQ3s43q9jr46w$K_U7PGW4vFo3SPd0_yUYfeKGql1OkD5_WZTHLrw3Bvg',
  },
  {
    id: 'bob',
    name: 'Bob Marley',
    passwordHash:
      'scrypt$16384$8$1$dNRtNF1ydLR3ZtPkeP194A$Q3XelFOnz2HliAasSeXU8bK8GfUOo-ShBHPzhSkYsIM',
  },
  {
    id: 'carol',
    name: 'Carol Danvers',
    passwordHash:
      'scrypt$16384$8$1$4j5ZM-2QkGEVK647yF_ItA$k0Zk65FC88a43D30RcuVgz-mqNH0xpiXjLn3CNYBVjw',
  },
];

export function listUsers(): readonly DemoUser[] {
  return USERS;
}

export function findUser(id: string | undefined): DemoUser | undefined {
  return USERS.find((user) => user.id === id);
}

// Unknown names are checked against a real hash too, so the response time does not tell
// which user names exist.
const DECOY_HASH = USERS[0]?.passwordHash ?? '';

/** The user whose name and password match, or undefined. */
export async function authenticate(id: string, password: string): Promise<DemoUser | undefined> {
  const user = findUser(id.trim().toLowerCase());
  const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
  return ok && user ? user : undefined;
}
