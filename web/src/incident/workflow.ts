// The two incident processes as src/incident/workflow.cc defines them: the steps and each
// step's checklist (item id, required). The API returns the step number, the items done and the
// allowed actions, not the definitions, so the console keeps the same table; the titles are in
// the catalogue under wf.<process>_<step> and wf.<process>_<item> (1.đ → 1dd).
import type { Key } from '../i18n';

export type Process = 'normal' | 'serious';
export interface Item {
  id: string;
  required: boolean;
}
export interface Step {
  n: number;
  items: Item[];
}

const req = (id: string): Item => ({ id, required: true });
const opt = (id: string): Item => ({ id, required: false });

export const WORKFLOWS: Record<Process, Step[]> = {
  normal: [
    { n: 1, items: [req('1.a'), req('1.b'), req('1.c'), opt('1.d'), req('1.đ'), opt('1.e')] },
    { n: 2, items: [req('2.a'), opt('2.b'), req('2.c')] },
    { n: 3, items: [req('3.a'), req('3.b'), req('3.c')] },
    { n: 4, items: [req('4.a'), req('4.b'), req('4.c')] },
  ],
  serious: [
    { n: 1, items: [req('1.a')] },
    { n: 2, items: [req('2.a'), req('2.b')] },
    { n: 3, items: [req('3.a'), req('3.b')] },
    { n: 4, items: [req('4.a'), req('4.b'), req('4.c'), req('4.d'), req('4.đ')] },
    { n: 5, items: [req('5.a'), req('5.b'), req('5.c'), req('5.d'), req('5.đ'), req('5.e')] },
    { n: 6, items: [req('6.a')] },
    { n: 7, items: [req('7.a'), req('7.b'), opt('7.c')] },
  ],
};

export const stepKey = (p: Process, n: number) => `wf.${p}_${n}` as Key;
export const itemKey = (p: Process, id: string) => `wf.${p}_${id.replace('.', '').replace('đ', 'dd')}` as Key;
