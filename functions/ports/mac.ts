// Message authentication with a key only Bridgekeeper's writing functions may use: on AWS a KMS HMAC key
// (GenerateMac), locally a key kept in the data directory. Upload-link tokens are MACs (so a follow-up can carry
// the very link the request e-mail carried without the token ever being stored).

export interface Mac {
  /** HMAC-SHA256 of `message` (at most 4096 bytes, KMS's limit), base64url without padding (43 characters). */
  sign(message: string): Promise<string>;
}
