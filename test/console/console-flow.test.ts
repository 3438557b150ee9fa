import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { separableCsv } from '../fixtures/datasets';
import { imageMeanOnnx, mlpOnnx } from '../fixtures/onnx-models';
import { denseTfjsModel } from '../fixtures/tfjs-models';
import { STRONG_PASSWORD } from '../support/accounts';
import { chromiumInstalled, launchChromium, screenshotAndScan, watchForElement } from '../support/browser';
import { platformEnvironment } from '../support/fault-platform';
import { startPlatformProcess, type PlatformProcess } from '../support/platform-process';

const INFERENCES = 3;

/** Every page: a screenshot, and no serious or critical accessibility violation. */
async function checkPage(page: Page, name: string): Promise<void> {
  expect(await screenshotAndScan(page, name), `accessibility of ${name}`).toEqual([]);
}

/**
 * The models page's form. Its fields are found inside it: the page being left (API keys, a model)
 * has a "Name" field of its own, and a bare getByLabel right after the click could fill that one
 * before the models page rendered; the required name then stayed empty and the form never submitted.
 */
function createModelForm(page: Page) {
  return page.getByRole('form', { name: 'Create a model' });
}

/** A person in a real browser: sign up, make a key, upload a model, call it, see it on the dashboard, train and cancel, revoke the key. */
describe.skipIf(!chromiumInstalled())('the web console in Chromium', () => {
  let platform: PlatformProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    platform = await startPlatformProcess(platformEnvironment(inject('databaseUrl')));
    browser = await launchChromium();
    // AxeBuilder needs the page to belong to a context of its own.
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
  });

  it('goes from sign-up to a revoked key, every page screenshotted and accessible', { timeout: 180_000 }, async () => {
    const started = performance.now();
    await page.goto(platform.url);
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    const interactiveMs = performance.now() - started;
    await checkPage(page, '01-log-in');

    await page.getByRole('button', { name: 'Sign up' }).click();
    const email = `console-${Date.now()}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(STRONG_PASSWORD);
    await page.getByLabel('Organisation').fill('Console Org');
    await checkPage(page, '02-sign-up');
    await page.getByRole('button', { name: 'Create the organisation' }).click();
    await expect.poll(() => page.getByTestId('secret').textContent()).toMatch(/^mk_[0-9a-f]{16}_/);
    await checkPage(page, '03-first-key');
    await page.getByRole('button', { name: 'Continue to the console' }).click();

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('form', { name: 'Create an API key' }).getByLabel('Name').fill('ci key');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.getByTestId('secret').textContent()).toMatch(/^mk_/);
    await page.getByRole('cell', { name: 'ci key' }).waitFor();
    await checkPage(page, '04-keys');

    await page.getByRole('link', { name: 'Models' }).click();
    await createModelForm(page).getByLabel('Name').fill('iris');
    await page.getByRole('button', { name: 'Create model' }).click();
    await page.getByRole('heading', { name: 'iris' }).waitFor();
    const file = join(tmpdir(), `console-mlp-${process.pid}.onnx`);
    await writeFile(file, mlpOnnx([4, 16, 3]));
    // The progress bar shows from the start of the upload until the version is validated (on this
    // platform that can be a few milliseconds: the watch sees it however briefly it shows).
    const progressBar = await watchForElement(page, 'progress[aria-label="Upload progress"]');
    await page.getByLabel(/^Model file/).setInputFiles(file);
    await page.getByText('Version 1 is ready.').waitFor();
    expect(await progressBar.appeared(), 'the upload progress bar showed').toBe(true);
    await checkPage(page, '05-model');

    await page.getByLabel(/^input \(FP32/).fill('[[5.1, 3.5, 1.4, 0.2]]');
    for (let index = 0; index < INFERENCES; index++) {
      await page.getByRole('button', { name: 'Run inference' }).click();
      await page.getByTestId('latency').waitFor();
    }
    await expect.poll(() => page.getByRole('status', { name: 'Inference result' }).textContent()).toMatch(/output \[1×3\]: \[/);
    await checkPage(page, '06-try-it');

    // The curl, JavaScript and Python snippets carry the same body.
    await page.getByText('The same call with Python').click();
    await expect.poll(() => page.getByText(/requests\.post/).textContent()).toContain('"data":[5.1,3.5,1.4,0.2]');

    // An alias on the version: deleting it is refused, and the reason is shown.
    await page.getByRole('button', { name: 'Point the alias here' }).click();
    await page.getByText('production → version 1').waitFor();
    await page.getByRole('row', { name: /^1 onnx/ }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/still the target of alias "production"; move or delete the alias first/);

    // Usage is flushed every second: come back to the dashboard (it fetches on arrival) until the requests show.
    await expect
      .poll(
        async () => {
          await page.getByRole('link', { name: 'Models' }).click();
          await page.getByRole('link', { name: 'Usage' }).click();
          return page.getByTestId('month-requests').textContent({ timeout: 5_000 }).catch(() => '');
        },
        { timeout: 20_000, interval: 1_000 },
      )
      .toBe(String(INFERENCES));
    await expect.poll(() => page.getByTestId('range-requests').textContent()).toBe(String(INFERENCES));
    // The try-it calls went with the console session, not a key.
    await expect.poll(() => page.getByRole('table', { name: 'Top API keys in this range' }).getByRole('row', { name: /console session/ }).textContent()).toContain(String(INFERENCES));
    await page.getByRole('img', { name: 'Requests chart' }).waitFor();
    await checkPage(page, '07-usage');

    // An image-shaped model takes a picture: a white 20×20 PNG, resized to 8×8 grey, has mean 1.
    await page.getByRole('link', { name: 'Models' }).click();
    await createModelForm(page).getByLabel('Name').fill('mean-of-image');
    await page.getByRole('button', { name: 'Create model' }).click();
    await page.getByRole('heading', { name: 'mean-of-image' }).waitFor();
    await page.getByLabel(/^Model file/).setInputFiles({ name: 'image-mean.onnx', mimeType: 'application/octet-stream', buffer: imageMeanOnnx(8, 8, 1) });
    await page.getByText('Version 1 is ready.').waitFor();
    // Drawn by the browser (the test process has no image encoder): a data URL's base64.
    const png = await page.evaluate<string>(`(() => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 20;
      const context = canvas.getContext('2d');
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, 20, 20);
      return canvas.toDataURL('image/png').split(',')[1];
    })()`);
    await page.getByLabel(/or an image \(8×8, grey, NHWC/).setInputFiles({ name: 'white.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    await page.getByRole('button', { name: 'Run inference' }).click();
    await expect.poll(() => page.getByRole('status', { name: 'Inference result' }).textContent()).toMatch(/mean \[1\]: \[1\]/);
    await checkPage(page, '06b-image-input');

    // A TF.js layers model: model.json and its weight shards chosen together go up as one multipart form.
    await page.getByRole('link', { name: 'Models' }).click();
    await createModelForm(page).getByLabel('Name').fill('tfjs-dense');
    await page.getByRole('button', { name: 'Create model' }).click();
    await page.getByRole('heading', { name: 'tfjs-dense' }).waitFor();
    const saved = await denseTfjsModel(4, 3);
    await page.getByLabel(/^Model file/).setInputFiles([{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(saved.modelJson) }, ...[...saved.shards].map(([name, bytes]) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) }))]);
    await page.getByText('Version 1 is ready.').waitFor();
    await page.getByRole('cell', { name: /^tfjs/ }).waitFor();

    // The organisation: plan, invite a member (the link is shown once), the audit log.
    await page.getByRole('link', { name: 'Organisation' }).click();
    await page.getByRole('rowheader', { name: 'Requests per minute' }).waitFor();
    await page.getByRole('form', { name: 'Invite a member' }).getByLabel('Email').fill(`member-${Date.now()}@example.com`);
    await page.getByRole('button', { name: 'Invite' }).click();
    const inviteLink = (await page.getByTestId('invite-link').textContent())!;
    expect(inviteLink).toMatch(/#\/accept-invite\/mi_/);
    await page.getByText('(invited)').waitFor();
    await page.getByRole('cell', { name: 'member.invited' }).waitFor();
    await checkPage(page, '07b-organisation');
    const invited = await (await browser.newContext()).newPage();
    await invited.goto(inviteLink);
    await invited.getByLabel('Choose a password').fill(STRONG_PASSWORD);
    await invited.getByRole('button', { name: 'Accept the invitation' }).click();
    await invited.getByRole('heading', { name: 'Models' }).waitFor();
    await checkPage(invited, '07c-invited-member');
    await invited.close();

    await page.getByRole('link', { name: 'Training' }).click();
    const csv = join(tmpdir(), `console-blobs-${process.pid}.csv`);
    await writeFile(csv, separableCsv(600));
    await page.getByLabel(/^Dataset name/).fill('blobs');
    await page.getByLabel('CSV or JSON lines file').setInputFiles(csv);
    await page.getByText('Dataset blobs: 600 rows.').waitFor();
    await page.getByLabel('Model (created if missing)').fill('blob-classifier');
    await page.getByLabel('Epochs').fill('5');
    await page.getByRole('button', { name: 'Start training' }).click();
    // The job page: the loss curve grows from the live event stream; the job ends succeeded with a version.
    await page.getByRole('img', { name: 'Loss per epoch chart' }).waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: 60_000 }).toBe('succeeded');
    await page.getByText('The job has ended; every event is shown.').waitFor();
    await expect.poll(() => page.getByRole('list', { name: 'Job events' }).textContent()).toMatch(/registered as version 1 of "blob-classifier"/);
    await page.getByRole('cell', { name: '5', exact: true }).first().waitFor();
    await checkPage(page, '08-training-job');
    await page.getByRole('link', { name: '← Training' }).click();
    await page.getByLabel('Model (created if missing)').fill('long-run');
    // Long enough that no machine finishes it between "running" and the cancel (500 epochs at batch 32 once did).
    await page.getByLabel('Epochs').fill('1000');
    await page.getByLabel('Batch size').fill('1');
    await page.getByRole('button', { name: 'Start training' }).click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: 30_000 }).toBe('running');
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await expect.poll(() => page.getByTestId('job-status').textContent(), { timeout: 30_000 }).toBe('cancelled');
    await checkPage(page, '09-training-cancelled');
    await page.getByRole('link', { name: 'Training', exact: true }).click();
    await page.getByRole('cell', { name: 'blobs' }).waitFor();
    await checkPage(page, '10-training');

    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('row', { name: /ci key/ }).getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('row', { name: /ci key/ }).getByText(/^revoked/).waitFor();
    await checkPage(page, '11-revoked');

    // Logging out elsewhere ends this session too: the next call sends the person to log in, saying why.
    const login = await fetch(`${platform.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: STRONG_PASSWORD }) });
    const { session } = (await login.json()) as { session: { token: string } };
    expect((await fetch(`${platform.url}/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${session.token}` } })).status).toBe(204);
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByText('Your session has ended').waitFor();
    await page.getByRole('button', { name: 'Log in' }).waitFor();
    process.stdout.write(`console: log-in page interactive ${Math.round(interactiveMs)} ms after navigation\n`);
  });
});
