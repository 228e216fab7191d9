// The signed-in user, shared by every screen.
import type { Role } from './rbac';

export interface User {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  org_id: string;
  email?: string;
  must_change_password: boolean;
  totp_enabled: boolean;
}

let user: User | null = null;
const listeners = new Set<() => void>();
export function currentUser(): User | null {
  return user;
}
export function setUser(u: User | null): void {
  user = u;
  listeners.forEach((f) => f());
}
export function onUserChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
