/**
 * Optional PNG of a written dashboard through headless Chromium (playwright-core driving the system's
 * Chromium, e.g. Debian's /usr/bin/chromium). playwright-core is loaded lazily, so the rest of the report stage
 * works without it; a missing package or browser gives a clear error saying what to install.
 */
import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { writeFileAtomic } from '../io/index.js';

/** Flags for a sandbox-less, offline, quiet headless Chromium (containers, CI). */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/** Launch headless Chromium at `executablePath` (default /usr/bin/chromium or $IRONFORGE_CHROMIUM). */
export async function launchChromium(executablePath?: string): Promise<Browser> {
  const exe = executablePath ?? process.env.IRONFORGE_CHROMIUM ?? DEFAULT_CHROMIUM;
  try {
    await access(exe);
  } catch {
    throw new Error(
      `Chromium not found at ${exe}: install it (Debian/Ubuntu: apt-get install -y chromium) or set IRONFORGE_CHROMIUM`,
    );
  }
  let pw: typeof import('playwright-core');
  try {
    pw = await import('playwright-core');
  } catch (err) {
    throw new Error(
      `PNG export needs the playwright-core package (npm install playwright-core): ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  return pw.chromium.launch({ executablePath: exe, args: [...CHROMIUM_ARGS], headless: true });
}

export interface ScreenshotOptions {
  /** Viewport width in CSS px (default 1280). */
  width?: number;
  /** Viewport height (default 900); the screenshot is of the full page regardless. */
  height?: number;
  executablePath?: string;
}

/** Open `htmlPath` from disk (file://) and save a full-page PNG to `pngPath` (atomic write, parent directory created). */
export async function screenshotDashboard(
  htmlPath: string,
  pngPath: string,
  opts: ScreenshotOptions = {},
): Promise<void> {
  const browser = await launchChromium(opts.executablePath);
  try {
    const page = await browser.newPage({
      viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    });
    await page.goto(pathToFileURL(resolve(htmlPath)).href, { waitUntil: 'load' });
    const png = await page.screenshot({ fullPage: true });
    await writeFileAtomic(pngPath, png);
  } finally {
    await browser.close();
  }
}
