// The values of the incident API's enumerations (src/incident/model.cc, observable.cc), each named
// in the catalogue under its prefix (itype., harm., otype., event.).
export const INCIDENT_TYPES = [
  'dos', 'spoofing', 'malware', 'unauthorised_access', 'defacement', 'encryption', 'destruction', 'data_theft', 'combined_attack', 'other_attack',
];
export const HARMS = ['service_interruption', 'secret_data_leak', 'integrity_unrecoverable', 'loss_of_control', 'chain_effect'];
export const OBSERVABLE_TYPES = ['ip', 'cidr', 'domain', 'url', 'email', 'file_name', 'md5', 'sha1', 'sha256', 'registry_key', 'user_account', 'process'];
export const EVENT_KINDS = [
  'detected', 'notification_sent', 'follow_up_sent', 'beyond_capacity', 'possibly_serious', 'initial_report_sent', 'response_started',
  'progress_report_sent', 'response_ended', 'closing_report_sent', 'notice_received', 'acknowledgement_sent', 'step_completed',
  'checklist_item_done', 'process_changed', 'closed', 'reopened', 'periodic_summary_sent',
];
