/**
 * Why a proof or the chain does not verify, in the reader's language. The verifiers throw
 * errors with a reason code and the values their English message names
 * (src/contract/proof/checkpoint.ts, ./proof.ts); the chain report carries a code
 * (src/server/record-hash.ts). An error without a code (a Web Crypto failure, an answer that
 * is not a proof at all) is told with its own message, after a sentence in the reader's
 * language that says what was being checked.
 *
 *   proofFailure(error, t)        // '签名笔记中第 2 行签名格式不正确。'
 *   chainBreak(report, t)         // '第 3 条记录的内容与其哈希不符（记录被改动过）。'
 */
import { CheckpointError } from '../contract/proof/checkpoint.ts';
import type { ChainReport } from './api.ts';
import type { ConsoleStrings, Translate } from './locales.ts';
import { AnswerError } from './proof.ts';

export function proofFailure(error: unknown, t: Translate): string {
  if (error instanceof CheckpointError || error instanceof AnswerError) {
    return t(`proofReason.${error.reason}` as keyof ConsoleStrings, ...error.values);
  }
  return t('proofReason.other', (error as Error).message);
}

export function chainBreak(report: Extract<ChainReport, { ok: false }>, t: Translate): string {
  return t(`chainBreak.${report.code}` as keyof ConsoleStrings, report.brokenAt);
}
