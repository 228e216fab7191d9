// Organisation names for selects and labels: one list read per session (the first 500 in
// Vietnamese order, which covers a province).
import { get } from './api';

export interface Org {
  id: string;
  name: string;
  short_name?: string;
  type: string;
  parent_id?: string;
  address?: string;
  email?: string;
  phone?: string;
  network_member?: boolean;
  focal_point?: { name: string; phone: string; email: string };
  version: number;
  updated_at?: string;
}

let cache: Promise<Org[]> | null = null;
export function allOrgs(): Promise<Org[]> {
  if (!cache) {
    cache = get<{ items: Org[] }>('/organisations', { limit: 500 }).then((a) => a.items);
    cache.catch(() => (cache = null));
  }
  return cache;
}
export function forgetOrgs(): void {
  cache = null;
}
export async function orgName(id: string): Promise<string> {
  return (await allOrgs()).find((o) => o.id === id)?.name ?? id;
}
