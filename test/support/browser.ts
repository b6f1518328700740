// The browser tests' Chromium (headless Debian chromium via playwright-core) and their one way to sign in: the
// embedded OpenID provider's login page, where any staff page sends a browser without a session (as the bank's
// provider does on AWS).
import { chromium, type Browser, type Page } from 'playwright-core';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: LAUNCH_ARGS,
  });
}

/** On the provider's login page (`issuer`): choose the person. The provider then sends the browser back. */
export async function chooseAtProvider(page: Page, issuer: string, email: string): Promise<void> {
  await page.waitForURL(new RegExp(`^${issuer}/interaction/`));
  await page.click(`button[value="${email}"]`);
}
