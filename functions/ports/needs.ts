// What a Lambda handler needs from AWS. The infra's functions construct turns each need into exactly one
// environment variable and the least-privilege grant that goes with it; the local stack sets the same variables.

export type Need =
  | 'table:read'
  | 'table:write'
  | 'mail:send'
  | 'sfn:callback'
  | 'sfn:start'
  | 'documents:read'
  | 'documents:write'
  | 'documents:presign-upload'
  /** Object Lock retention on an accepted document's version. */
  | 'documents:retain'
  /** The audit trail's checkpoints (checkpoints/ in the documents bucket): listed, read, written once and locked. */
  | 'checkpoints:write'
  /**
   * MACs with the service's key (a KMS HMAC key): upload-link tokens, and the seal on every commit and projection
   * of a vendor's record (signed when written, verified when read). Every function that writes the table has it.
   */
  | 'mac:sign';

/** The environment variable each need brings (table:read and table:write share TABLE_NAME, and so on). */
export const ENV_FOR_NEED: Record<Need, string> = {
  'table:read': 'TABLE_NAME',
  'table:write': 'TABLE_NAME',
  'mail:send': 'MAIL_FROM',
  'sfn:callback': 'STATE_MACHINE_ARN',
  'sfn:start': 'STATE_MACHINE_ARN',
  'documents:read': 'DOCUMENTS_BUCKET',
  'documents:write': 'DOCUMENTS_BUCKET',
  'documents:presign-upload': 'DOCUMENTS_BUCKET',
  'documents:retain': 'DOCUMENTS_BUCKET',
  'checkpoints:write': 'DOCUMENTS_BUCKET',
  'mac:sign': 'MAC_KEY_ID',
};
