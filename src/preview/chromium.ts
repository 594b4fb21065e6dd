/**
 * Debian's Chromium, as every tool here starts it (the end-to-end and browser tests, the
 * screenshots). Without the background-networking flags Chromium keeps trying to reach
 * Google's services, which this machine's closed network refuses; `--no-sandbox` because tests
 * run as root in a container.
 */
export const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-gpu',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
  ],
};
