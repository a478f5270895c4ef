import { setFlagsFromString } from 'node:v8'

/**
 * V8 settings for the CLI's process (ADR 0012), set by its entry point before any command
 * loads, so before V8 has gathered feedback on any allocation site:
 *
 * - no allocation-site pretenuring: planning thousands of cases makes V8 judge some allocation
 *   sites long-lived and allocate their objects in the old generation from then on; during the
 *   calls the same sites make objects that die within the call, and the old generation fills
 *   with that garbage;
 * - the old generation may grow by 30 % of its live size before a full collection, where V8's
 *   default lets it grow up to fourfold: at 10,000 cases the live set is ~60 MB, and the
 *   default let the heap reach 140–210 MB of mostly garbage.
 *
 * Both are read by V8 when it collects, so they take effect when set at run time. The library
 * is not affected: only the CLI calls this.
 */
export function tuneHeap(): void {
  setFlagsFromString('--no-allocation-site-pretenuring')
  setFlagsFromString('--heap-growing-percent=30')
}
