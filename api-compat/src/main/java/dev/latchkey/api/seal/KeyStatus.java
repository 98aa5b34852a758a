package dev.latchkey.api.seal;

import java.time.Instant;

/** {@code sys/key-status}: the active term, when it was installed, and the values sealed with it since. */
public record KeyStatus(int term, Instant installTime, long encryptions) {
}
