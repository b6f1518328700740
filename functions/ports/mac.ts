// Message authentication with a key only Bridgekeeper's writing functions may use to sign: a KMS HMAC key
// (GenerateMac), on AWS and on the embedded KMS. Upload-link tokens are MACs (so a follow-up can carry the very
// link the request e-mail carried without the token ever being stored), and so is every commit and projection of
// a vendor's record (functions/app/vendors.ts), so that an event no writer produced is refused, not adopted.

export interface Mac {
  /** HMAC-SHA256 of `message` (at most 4096 bytes, KMS's limit), base64url without padding (43 characters). */
  sign(message: string): Promise<string>;
  /** Whether `mac` is the MAC of `message` under this key (KMS VerifyMac: an auditor may verify, not sign). */
  verify(message: string, mac: string): Promise<boolean>;
}
