/**
 * The console's entry point (bundled into console.js): registers its elements, each once, so
 * that loading the script twice does no harm.
 */
import { AssentConsole } from './console-app.ts';
import { ConsoleIntegrity } from './views/integrity.ts';
import { ConsoleOverview } from './views/overview.ts';
import { ConsoleRecordProof } from './views/record-proof.ts';
import { ConsoleRecords } from './views/records.ts';
import { ConsoleSubject } from './views/subject.ts';
import { ConsoleWebhooks } from './views/webhooks.ts';

const ELEMENTS: Record<string, CustomElementConstructor> = {
  'assent-console': AssentConsole,
  'assent-console-overview': ConsoleOverview,
  'assent-console-records': ConsoleRecords,
  'assent-console-record-proof': ConsoleRecordProof,
  'assent-console-subject': ConsoleSubject,
  'assent-console-integrity': ConsoleIntegrity,
  'assent-console-webhooks': ConsoleWebhooks,
};

for (const [tag, element] of Object.entries(ELEMENTS))
  if (!customElements.get(tag)) customElements.define(tag, element);
