// The server's field errors (English predicates such as "is required") in the user's language;
// an unknown message is shown as the server wrote it.
import { t, type Key } from './index';

const PATTERNS: [RegExp, Key][] = [
  [/^is required/, 'srv.required'],
  [/^must not be empty/, 'srv.required'],
  [/^password is too short/, 'srv.password_short'],
  [/^password/, 'srv.password_weak'],
  [/^is wrong/, 'srv.wrong'],
  [/does not match the secret/, 'srv.code_mismatch'],
  [/^must be a date/, 'srv.date'],
  [/^is in the future/, 'srv.future'],
  [/^is in the past/, 'srv.past'],
  [/^must be between 1 and 5/, 'srv.level'],
  [/^is not a valid e-mail address/, 'srv.email'],
  [/^is not a valid IPv4 or IPv6 address/, 'srv.ip'],
  [/^must be an IP address or CIDR/, 'srv.ip'],
  [/^matches no organisation/, 'srv.no_org'],
  [/^matches no system/, 'srv.no_system'],
  [/reason is required|needs a reason/, 'srv.reason'],
  [/^is longer than/, 'srv.too_long'],
  [/^unsupported file type/, 'srv.file_type'],
  [/does not match the content/, 'srv.file_declared'],
  [/^the file is empty|^the log file is empty/, 'srv.file_empty'],
  [/^must be after window_start/, 'srv.window_order'],
  [/^a window is at most 31 days/, 'srv.window_long'],
  [/^cannot be itself|^must not be the organisation itself/, 'srv.self_parent'],
  [/^say what was done/, 'srv.note'],
  [/^is out of range|^must be 1–366/, 'srv.range'],
  [/^(ip|cidr|domain|url|email|file_name|md5|sha1|sha256|registry_key|user_account|process): /, 'srv.observable'],
  [/^is not an observable type/, 'srv.observable_type'],
];

export function translateDetail(detail: string): string {
  for (const [re, key] of PATTERNS) if (re.test(detail)) return t(key);
  return detail;
}
