// The Mocha globals @web/test-runner provides in the browser (no @types/mocha is installed).
type MochaDone = () => void | Promise<void>;
interface MochaTest {
  (name: string, fn: MochaDone): void;
  only(name: string, fn: MochaDone): void;
  skip(name: string, fn: MochaDone): void;
}
declare const describe: MochaTest;
declare const it: MochaTest;
declare function before(fn: MochaDone): void;
declare function after(fn: MochaDone): void;
declare function beforeEach(fn: MochaDone): void;
declare function afterEach(fn: MochaDone): void;
