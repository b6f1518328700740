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
  | 'mac:sign'
  /**
   * Staff sessions and sign-ins under way in the table (items `SESSION#...` and `SIGNIN#...` only): created,
   * ended and taken once. Reading a session needs only table:read.
   */
  | 'sessions:write'
  /** The per-link request counters in the table (items `LIMIT#...` only). */
  | 'links:count'
  /**
   * Signing staff in with the bank's OpenID provider: the client secret from Secrets Manager (that one secret),
   * with the provider's issuer, the client id, the groups claim and the group-to-role mapping as settings.
   */
  | 'oidc:sign-in';

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
  'sessions:write': 'TABLE_NAME',
  'links:count': 'TABLE_NAME',
  'oidc:sign-in': 'OIDC_CLIENT_SECRET_ARN',
};

/** The settings a need brings besides its variable (the infra sets them from the deployment's context). */
export const SETTINGS_FOR_NEED: Partial<Record<Need, readonly string[]>> = {
  'mail:send': ['MAIL_CONFIGURATION_SET'],
  'oidc:sign-in': ['OIDC_ISSUER', 'OIDC_CLIENT_ID', 'OIDC_GROUPS_CLAIM', 'STAFF_ROLE_MAPPING'],
};
