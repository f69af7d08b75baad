/** Time is always passed in; nothing in core reads the system clock. */
export interface Clock {
  now(): number;
}
