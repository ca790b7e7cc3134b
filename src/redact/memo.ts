// What the redactor remembers per attribute key (or text field): whether the key is secret, and
// the last few values seen with their redacted forms. Values repeat (user agents, queries, hosts,
// a handful of routes or function names in turn): comparing a string with four others is far
// cheaper than scanning it again.

const SLOTS = 4;
/** Longer values (bodies, stack traces) rarely repeat: they are not kept, so the memo stays small. */
const MAX_REMEMBERED_LENGTH = 256;

export class FieldMemo {
  private readonly values: string[] = new Array<string>(SLOTS).fill('');
  private readonly results: string[] = new Array<string>(SLOTS).fill('');
  private readonly changed: boolean[] = new Array<boolean>(SLOTS).fill(false);
  private next = 0;

  constructor(readonly secret: boolean) {}

  /** `redact(text)`, remembered; the very input string when nothing in it changed. */
  apply(text: string, redact: (text: string) => string): string {
    for (let i = 0; i < SLOTS; i++) {
      if (this.values[i] === text) return this.changed[i] ? this.results[i]! : text;
    }
    const redacted = redact(text);
    if (text.length > MAX_REMEMBERED_LENGTH) return redacted;
    const slot = this.next;
    this.next = (slot + 1) % SLOTS;
    this.values[slot] = text;
    this.results[slot] = redacted;
    this.changed[slot] = redacted !== text;
    return redacted;
  }
}
