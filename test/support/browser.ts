import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it): never a downloaded browser. */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = join(__dirname, '../artifacts/console');

export const chromiumInstalled = () => existsSync(CHROMIUM);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/**
 * Saves a full-page screenshot under test/artifacts/console (not committed) and scans the page with
 * axe-core: answers its serious and critical violations, one line each.
 */
export async function screenshotAndScan(page: Page, name: string): Promise<string[]> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join('; ')})`);
}

/**
 * Notes whether an element matching `selector` ever appears on the page from now on, however briefly
 * (an upload's progress bar, on a platform that answers in milliseconds, is gone before a locator's
 * poll could see it). A MutationObserver runs right after each DOM change, so nothing is missed.
 */
export async function watchForElement(page: Page, selector: string): Promise<{ appeared(): Promise<boolean> }> {
  const flag = `window[${JSON.stringify(`__appeared_${Math.random().toString(36).slice(2)}`)}]`;
  const matches = `document.querySelector(${JSON.stringify(selector)}) !== null`;
  // Page code as text: this file is compiled without the DOM's types.
  await page.evaluate(`(() => {
    ${flag} = ${matches};
    new MutationObserver((_changes, observer) => {
      if (!(${matches})) return;
      ${flag} = true;
      observer.disconnect();
    }).observe(document.body, { childList: true, subtree: true });
  })()`);
  return { appeared: async () => (await page.evaluate(`${flag} === true`)) === true };
}
